# Sourced by the bench scripts: makes sure the system tools they run exist. As root, missing ones are installed with
# apt-get (retried while another apt holds the dpkg lock); otherwise the script stops and names them.
# Needs the caller's log and die functions. Usage: ensure_tools TOOL... (each tool is also its Debian package).
ensure_tools() {
  local missing=() tool attempt
  for tool in "$@"; do
    # nginx lives in /usr/sbin, which a non-root PATH may lack.
    command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] || missing+=("$tool")
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
