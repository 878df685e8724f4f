# Sourced by the bench scripts: what they all need around the measurement itself. Needs the caller's log and die
# functions.

# Makes sure the system tools a script runs exist. As root, missing ones are installed with apt-get (retried while
# another apt holds the dpkg lock); otherwise the script stops and names them.
# Usage: ensure_tools TOOL... (each tool is also its Debian package; TOOL:PACKAGE when they differ).
ensure_tools() {
  local missing=() tool attempt
  for tool in "$@"; do
    # nginx and sshd live in /usr/sbin, which a non-root PATH may lack.
    command -v "${tool%%:*}" >/dev/null || [[ -x "/usr/sbin/${tool%%:*}" ]] || missing+=("${tool#*:}")
  done
  if ((${#missing[@]} == 0)); then return; fi
  if [[ "$(id -u)" != 0 ]]; then
    die "missing: ${missing[*]}; install them (apt-get install -y ${missing[*]}) or run as root"
  fi
  log "installing ${missing[*]} with apt-get"
  for attempt in 1 2 3 4 5; do
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }; then
      return
    fi
    log "apt-get failed (dpkg lock held?), retry $attempt in 5 s"
    sleep 5
  done
  die "could not install ${missing[*]}"
}

# Makes BENCH_TMP, a temp dir, and PIDS, the processes the script starts. On every exit (also Ctrl-C or failure)
# those processes are stopped (TERM, then KILL after 5 s) and the dir is removed unless KEEP_TMP=1. $1 = name part.
start_bench_tmp() {
  BENCH_TMP="$(mktemp -d -t "portcullis-$1.XXXXXX")"
  PIDS=()
  trap stop_started EXIT
  trap 'exit 130' INT TERM
}

stop_started() {
  local pid i
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${KEEP_TMP:-0}" == 1 ]]; then log "kept $BENCH_TMP"; else rm -rf "$BENCH_TMP"; fi
}

# Prints N distinct free TCP ports on 127.0.0.1 (held together while chosen, so they differ).
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}
