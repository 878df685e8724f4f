#!/usr/bin/env bash
# SSH throughput through Portcullis (issue 17): a 100 MiB transfer to a throwaway sshd target over three paths, in
# interleaved rounds, each way:
#   openssh-jump        ssh -J through a plain OpenSSH sshd jump host (the reference)
#   portcullis-jump     ssh -J through the Portcullis SSH jump host (password + TOTP, then direct-tcpip)
#   portcullis-connect  ssh to the local listener of `portcullis connect` (WebSocket over HTTPS to the same gateway)
# Every transfer is checked to have moved exactly the bytes it should (counted by `wc -c` on the receiving side).
# Reports MiB/s, the ratio to openssh-jump and the jump process's CPU seconds per 100 MiB (the gateway JVM for both
# Portcullis paths, the jump sshd and its per-connection processes for OpenSSH), and writes
# bench/results/ssh-throughput-<UTC time>.json. See bench/README.md ("SSH throughput").
#
# Environment (all optional):
#   ROUNDS=3           measured rounds; each round moves SIZE_MIB up and down over every path
#   WARMUP=2           unmeasured rounds first (the JVMs compile their hot paths during the first transfers; after one
#                      round the gateway still used 2-3x the CPU per 100 MiB of the third)
#   SIZE_MIB=100       MiB per transfer
#   CIPHER=aes128-gcm@openssh.com   the only cipher offered, on the target and on both SSH jump legs
#   PORTCULLIS_JAVA_OPTS=""         extra JVM options of the gateway (e.g. a JFR recording)
#   CONNECT_JAVA_OPTS=""            extra JVM options of `portcullis connect`
#   PATHS="openssh-jump portcullis-jump portcullis-connect"   the paths to measure (a subset, e.g. to profile one)
#   KEEP_TMP=1         keep the temp dir (configs, logs, gateway audit trail)
# Exit status: 0 when every transfer moved exactly its bytes, 2 when one did not, 1 when the setup failed.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$REPO_ROOT/bench"
JAR="$REPO_ROOT/gateway-core/target/portcullis.jar"
STATS="$BENCH_DIR/sshstats.py"

ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-2}"
SIZE_MIB="${SIZE_MIB:-100}"
CIPHER="${CIPHER:-aes128-gcm@openssh.com}"
PORTCULLIS_JAVA_OPTS="${PORTCULLIS_JAVA_OPTS:-}"
CONNECT_JAVA_OPTS="${CONNECT_JAVA_OPTS:-}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-180}"  # a loaded machine starts a JVM slowly
read -r -a PATHS <<<"${PATHS:-openssh-jump portcullis-jump portcullis-connect}"
BENCH_USER=benchuser
BENCH_PASSWORD="bench user's long password $RANDOM$RANDOM"

log() { printf '[ssh-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for n in "$ROUNDS" "$WARMUP" "$SIZE_MIB"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "ROUNDS, WARMUP and SIZE_MIB must be whole numbers"
done
((ROUNDS > 0 && SIZE_MIB > 0)) || die "ROUNDS and SIZE_MIB must be at least 1"
[[ "$CIPHER" =~ ^[a-z0-9@.-]+$ ]] || die "CIPHER must be one OpenSSH cipher name"
((${#PATHS[@]} > 0)) || die "PATHS names no path"
for path in "${PATHS[@]}"; do
  [[ " openssh-jump portcullis-jump portcullis-connect " == *" $path "* ]] || die "PATHS: unknown path '$path'"
done
SIZE_BYTES=$((SIZE_MIB * 1024 * 1024))

# --- tools -------------------------------------------------------------------------------------------------------
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
ensure_tools python3 curl openssl expect oathtool ssh:openssh-client ssh-keygen:openssh-client \
  ssh-keyscan:openssh-client sshd:openssh-server
SSHD="$(command -v sshd || echo /usr/sbin/sshd)"
command -v java >/dev/null || die "java (17 or later) is not installed"
if [[ ! -f "$JAR" ]]; then
  command -v mvn >/dev/null || die "$JAR is missing and mvn is not installed"
  log "building $JAR"
  (cd "$REPO_ROOT" && mvn -B -q -DskipTests package)
  [[ -f "$JAR" ]] || die "the build did not produce $JAR"
fi

# --- processes we start, stopped on every exit ----------------------------------------------------------------------
start_bench_tmp ssh-throughput
T="$BENCH_TMP"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
read -r TARGET_PORT JUMP_PORT PC_HTTPS_PORT PC_SSH_PORT CONNECT_PORT < <(free_ports 5)
[[ "$CONNECT_PORT" =~ ^[0-9]+$ ]] || die "could not find free ports on 127.0.0.1"
declare -A PROC=()
ME="$(id -un)"

start() { # $1 = name, $2... = command (its log is $T/$1.log; $! is the process itself)
  local name=$1
  shift
  "$@" >"$T/$name.log" 2>&1 &
  PIDS+=($!)
  PROC[$name]=$!
}

await_port() { # $1 = name, $2 = port
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$2" \
      2>/dev/null; do
    kill -0 "${PROC[$1]}" 2>/dev/null || { tail -n 30 "$T/$1.log" >&2; die "$1 exited during start-up"; }
    ((SECONDS < deadline)) || { tail -n 30 "$T/$1.log" >&2; die "$1 not listening after ${READY_TIMEOUT_S}s"; }
    sleep 0.2
  done
}

# --- OpenSSH: the target and the reference jump host ---------------------------------------------------------------
# One user key opens both the target and the OpenSSH jump host. The target offers only $CIPHER, so the end-to-end
# connection (the one that carries the 100 MiB) uses it on every path.
ssh-keygen -q -t ed25519 -N '' -C bench-user -f "$T/user_key"
ssh-keygen -q -t ed25519 -N '' -C bench-target -f "$T/target_host_key"
ssh-keygen -q -t ed25519 -N '' -C bench-jump -f "$T/jump_host_key"
cp "$T/user_key.pub" "$T/authorized_keys"
[[ "$(id -u)" != 0 ]] || mkdir -p /run/sshd  # sshd's privilege separation directory

sshd_config() { # $1 = port, $2 = host key, $3 = forwarding lines
  cat <<EOF
Port $1
ListenAddress 127.0.0.1
HostKey $2
PidFile none
UsePAM no
StrictModes no
AuthorizedKeysFile $T/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers $ME
Ciphers $CIPHER
X11Forwarding no
AllowAgentForwarding no
LogLevel ERROR
$3
EOF
}
sshd_config "$TARGET_PORT" "$T/target_host_key" "AllowTcpForwarding no" >"$T/sshd_target.conf"
# A jump host as an admin would restrict it: stdio forwarding to the one target, nothing else.
sshd_config "$JUMP_PORT" "$T/jump_host_key" "AllowTcpForwarding local
PermitOpen 127.0.0.1:$TARGET_PORT
PermitTTY no
ForceCommand /bin/false" >"$T/sshd_jump.conf"
start target-sshd "$SSHD" -D -e -f "$T/sshd_target.conf"
start openssh-jump "$SSHD" -D -e -f "$T/sshd_jump.conf"
await_port target-sshd "$TARGET_PORT"
await_port openssh-jump "$JUMP_PORT"

# --- Portcullis: one gateway with the SSH jump host and the connect endpoint ------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=login.test" \
  -addext "subjectAltName=DNS:login.test,IP:127.0.0.1" \
  -keyout "$T/tls-key.pem" -out "$T/tls-cert.pem" >/dev/null 2>&1 || die "openssl could not make a certificate"
mkdir -p "$T/data" && chmod 700 "$T/data"
HASH="$(printf '%s\n' "$BENCH_PASSWORD" | java -jar "$JAR" hash-password)" || die "portcullis hash-password failed"
cat >"$T/users.yaml" <<EOF
users:
  - username: $BENCH_USER
    display_name: Bench User
    email: bench@example.org
    groups: [bench]
    password: "$HASH"
EOF
cat >"$T/portcullis.yaml" <<EOF
server:
  listeners:
    - address: 127.0.0.1:$PC_HTTPS_PORT
      tls:
        certificate: $T/tls-cert.pem
        private_key: $T/tls-key.pem
portal:
  url: https://login.test:$PC_HTTPS_PORT
storage:
  data_dir: $T/data
  encryption_key: "$(openssl rand -hex 32)"
users:
  file: $T/users.yaml
audit:
  file: $T/audit.jsonl
  key: "$(openssl rand -hex 32)"
  rotate: never
access_control:
  default_policy: deny
tcp_targets:
  - name: bench-target
    address: 127.0.0.1:$TARGET_PORT
    subjects: [user:$BENCH_USER]
ssh:
  address: 127.0.0.1:$PC_SSH_PORT
EOF
# shellcheck disable=SC2086  # PORTCULLIS_JAVA_OPTS is a list of options
start portcullis java $PORTCULLIS_JAVA_OPTS -jar "$JAR" run --config "$T/portcullis.yaml"
await_port portcullis "$PC_HTTPS_PORT"
await_port portcullis "$PC_SSH_PORT"
PC_FINGERPRINT="$(grep -o 'SSH jump host listening on .*' "$T/portcullis.log" | grep -o 'SHA256:[A-Za-z0-9+/]*' | head -n 1)"
[[ -n "$PC_FINGERPRINT" ]] || die "the gateway did not log its SSH host key fingerprint"
log "gateway ready: https://login.test:$PC_HTTPS_PORT, SSH jump host on 127.0.0.1:$PC_SSH_PORT ($PC_FINGERPRINT)"

# The user enrols an authenticator app as a real user would: the admin's enrolment code, then the portal.
INVITATION="$(java -jar "$JAR" users invite "$BENCH_USER" --config "$T/portcullis.yaml" --expires 30m \
  | sed -n "s/^enrolment code for '$BENCH_USER': //p")"
[[ -n "$INVITATION" ]] || die "portcullis users invite printed no code"
PORTAL_PASSWORD="$BENCH_PASSWORD" PORTAL_INVITATION="$INVITATION" python3 "$BENCH_DIR/portal-browser.py" enrol \
  --portal "https://login.test:$PC_HTTPS_PORT" --ca "$T/tls-cert.pem" --user "$BENCH_USER" --state "$T/browser.json" \
  || die "enrolment at the portal failed"
TOTP_SECRET="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totp_secret"])' "$T/browser.json")"

# --- the client's view: known host keys (checked strictly) and one config ---------------------------------------
{
  printf 'bench-target %s\n' "$(cut -d' ' -f1-2 "$T/target_host_key.pub")"
  printf 'jump-openssh %s\n' "$(cut -d' ' -f1-2 "$T/jump_host_key.pub")"
  ssh-keyscan -t ed25519 -p "$PC_SSH_PORT" 127.0.0.1 2>/dev/null | awk '{print "jump-portcullis", $2, $3}'
} >"$T/known_hosts"
ssh-keygen -lf "$T/known_hosts" | grep -q "$PC_FINGERPRINT jump-portcullis" \
  || die "the SSH jump host presents another key than the one it logged ($PC_FINGERPRINT)"

# The jump legs are ControlMaster connections made once: the gateway's sign-in takes a fresh TOTP code, accepted once
# per 30 s step, so each transfer opens a new channel (and a new end-to-end connection to the target) on one signed-in
# connection, for both jump hosts alike. Every transfer still opens its own end-to-end SSH connection to the target.
cat >"$T/ssh_config" <<EOF
Host jump-openssh
  HostName 127.0.0.1
  Port $JUMP_PORT
  HostKeyAlias jump-openssh
  BatchMode yes
  ControlPath $T/mux-openssh
Host jump-portcullis
  HostName 127.0.0.1
  Port $PC_SSH_PORT
  User $BENCH_USER
  HostKeyAlias jump-portcullis
  PreferredAuthentications password,keyboard-interactive
  PubkeyAuthentication no
  ControlPath $T/mux-portcullis
Host via-openssh
  HostName 127.0.0.1
  Port $TARGET_PORT
  HostKeyAlias bench-target
  BatchMode yes
Host bench-target
  HostKeyAlias bench-target
  BatchMode yes
Host via-connect
  HostName 127.0.0.1
  Port $CONNECT_PORT
  HostKeyAlias bench-target
  BatchMode yes
Host *
  User $ME
  UserKnownHostsFile $T/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  IdentityFile $T/user_key
  IdentitiesOnly yes
  Ciphers $CIPHER
  Compression no
  ControlMaster no
  ControlPath none
  ConnectTimeout 20
  ForwardAgent no
  ForwardX11 no
  UpdateHostKeys no
  LogLevel ERROR
EOF
chmod 600 "$T/ssh_config"
SSH=(ssh -F "$T/ssh_config")
declare -A DEST=([openssh-jump]="-J jump-openssh via-openssh" [portcullis-jump]="-J jump-portcullis bench-target"
                 [portcullis-connect]="via-connect")

cat >"$T/dialogue.exp" <<'EOF'
# Types PC_PASSWORD at the password prompt and PC_CODE at the code prompt, as a user would; then stays with ssh
# until it ends (a ControlMaster running in the foreground).
set timeout 60
log_user 1
spawn -noecho {*}$argv
expect {
  -re {password: ?$} { send -- "$env(PC_PASSWORD)\r"; exp_continue }
  -re {code: ?$} { send -- "$env(PC_CODE)\r"; set timeout -1; exp_continue }
  eof
}
lassign [wait] pid spawnid os_error value
exit $value
EOF

# Starts the ControlMaster of jump host $1 in the foreground of a background process (ssh's own -f/ControlPersist
# detaching races with the terminal's hangup when expect ends), and waits until it is signed in.
master() {
  local pid deadline=$((SECONDS + READY_TIMEOUT_S))
  if [[ "$1" == jump-portcullis ]]; then
    # A code of a TOTP step after the one the enrolment used (each step is accepted once).
    local now
    now=$(date +%s)
    log "waiting $((30 - now % 30 + 1))s for the next TOTP step"
    sleep $((30 - now % 30 + 1))
    PC_PASSWORD="$BENCH_PASSWORD" PC_CODE="$(oathtool --totp=sha1 --base32 --digits=6 "$TOTP_SECRET")" \
      start "master-$1" expect "$T/dialogue.exp" "${SSH[@]}" -M -N "$1"
  else
    start "master-$1" "${SSH[@]}" -M -N "$1"
  fi
  until pid="$("${SSH[@]}" -O check "$1" 2>&1 | sed -n 's/.*pid=\([0-9]*\).*/\1/p')" && [[ -n "$pid" ]]; do
    kill -0 "${PROC[master-$1]}" 2>/dev/null || { cat "$T/master-$1.log" >&2; die "the connection to $1 failed"; }
    ((SECONDS < deadline)) || { cat "$T/master-$1.log" >&2; die "no connection to $1 after ${READY_TIMEOUT_S}s"; }
    sleep 0.2
  done
  PIDS+=("$pid")
}
master jump-openssh
master jump-portcullis
log "signed in at the Portcullis SSH jump host (password and TOTP)"

# `portcullis connect`, signed in through the portal in the browser that enrolled (loopback redirect with PKCE).
# shellcheck disable=SC2086
start connect java $CONNECT_JAVA_OPTS -jar "$JAR" connect --gateway "https://login.test:$PC_HTTPS_PORT" \
  --connect-to 127.0.0.1 --ca-file "$T/tls-cert.pem" --no-browser --listen "127.0.0.1:$CONNECT_PORT" bench-target
deadline=$((SECONDS + READY_TIMEOUT_S))
until SIGN_IN_URL="$(grep -o "https://login.test:$PC_HTTPS_PORT/[^[:space:]]*" "$T/connect.log" | head -n 1)" \
    && [[ -n "$SIGN_IN_URL" ]]; do
  kill -0 "${PROC[connect]}" 2>/dev/null || { cat "$T/connect.log" >&2; die "portcullis connect exited"; }
  ((SECONDS < deadline)) || { cat "$T/connect.log" >&2; die "portcullis connect printed no sign-in address"; }
  sleep 0.2
done
python3 "$BENCH_DIR/portal-browser.py" approve --portal "https://login.test:$PC_HTTPS_PORT" --ca "$T/tls-cert.pem" \
  --state "$T/browser.json" "$SIGN_IN_URL" || die "the connect sign-in failed"

for path in "${PATHS[@]}"; do
  # shellcheck disable=SC2086  # DEST holds ssh arguments
  answer="$("${SSH[@]}" ${DEST[$path]} 'echo reached-$(cat /proc/sys/kernel/random/boot_id)')" \
    || die "$path does not reach the target"
  [[ "$answer" == "reached-$(cat /proc/sys/kernel/random/boot_id)" ]] || die "$path reached something else: $answer"
  log "$path reaches the target"
done

# --- measurement ---------------------------------------------------------------------------------------------------
jump_pids() { # the processes whose CPU is the jump's cost on $1
  case "$1" in
    openssh-jump) echo "${PROC[openssh-jump]}" ;;
    *) echo "${PROC[portcullis]}" ;;
  esac
}

now() { date +%s.%N; }

RUNS="$T/runs.jsonl"
: >"$RUNS"
# $1 = round (0 = warm-up, not recorded), $2 = path, $3 = upload|download
transfer() {
  local round=$1 path=$2 direction=$3 jump_before jump_after client_before=0 client_after=0 t0 t1 s0 moved status=0
  # shellcheck disable=SC2086
  s0=$(now); "${SSH[@]}" ${DEST[$path]} true || status=$?
  local setup
  setup=$(python3 -c "print('%.3f' % ($(now) - $s0))")
  jump_before=$(python3 "$STATS" cpu $(jump_pids "$path"))
  [[ "$path" != portcullis-connect ]] || client_before=$(python3 "$STATS" cpu "${PROC[connect]}")
  t0=$(now)
  if [[ "$direction" == upload ]]; then
    # shellcheck disable=SC2086
    moved="$(head -c "${SIZE_MIB}M" /dev/zero | "${SSH[@]}" ${DEST[$path]} 'wc -c')" || status=$?
  else
    # shellcheck disable=SC2086
    moved="$("${SSH[@]}" ${DEST[$path]} "head -c ${SIZE_MIB}M /dev/zero" | wc -c)" || status=$?
  fi
  t1=$(now)
  jump_after=$(python3 "$STATS" cpu $(jump_pids "$path"))
  [[ "$path" != portcullis-connect ]] || client_after=$(python3 "$STATS" cpu "${PROC[connect]}")
  moved="${moved//[[:space:]]/}"
  local valid=true
  if ((status != 0)) || [[ "$moved" != "$SIZE_BYTES" ]]; then
    valid=false
    log "round $round $path $direction: FAILED (ssh status $status, moved '${moved}' bytes of $SIZE_BYTES)"
  fi
  ((round > 0)) || { log "warm-up $path $direction done"; return 0; }
  python3 - "$RUNS" <<EOF
import json, sys
seconds = $t1 - $t0
size_mib, jump, client = $SIZE_MIB, $jump_after - $jump_before, $client_after - $client_before
run = {"round": $round, "path": "$path", "direction": "$direction", "bytes_expected": $SIZE_BYTES,
       "bytes_moved": int("$moved") if "$moved".isdigit() else None, "ssh_status": $status, "valid": "$valid" == "true",
       "seconds": round(seconds, 3), "mib_per_s": round(size_mib / seconds, 2), "setup_s": $setup,
       "jump_cpu_s": round(jump, 3), "jump_cpu_s_per_100mib": round(jump * 100 / size_mib, 3),
       "client_cpu_s_per_100mib": round(client * 100 / size_mib, 3) if "$path" == "portcullis-connect" else None,
       "load_1min": float(open("/proc/loadavg").read().split()[0])}
with open(sys.argv[1], "a") as f:
    f.write(json.dumps(run) + "\n")
print("round %d %-18s %-8s %7.1f MiB/s, jump CPU %.2f s per 100 MiB (setup %.2f s)" % (
    run["round"], run["path"], run["direction"], run["mib_per_s"], run["jump_cpu_s_per_100mib"], run["setup_s"]),
    file=sys.stderr)
EOF
}

for ((round = 1 - WARMUP; round <= ROUNDS; round++)); do
  for direction in upload download; do
    for ((i = 0; i < ${#PATHS[@]}; i++)); do
      # Each round starts with another path, so none always runs first (or last) after a change of direction.
      transfer "$((round > 0 ? round : 0))" "${PATHS[$(((i + round + WARMUP) % ${#PATHS[@]}))]}" "$direction"
    done
  done
done

# --- report ---------------------------------------------------------------------------------------------------------
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$T/meta.json" <<EOF
import json, os, platform, subprocess, sys
def run(*cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (p.stdout + p.stderr).strip()
    except OSError as e:
        return f"unavailable: {e}"
meta = {
    "bench": "ssh-throughput",
    "timestamp_utc": "$STAMP",
    "host": {"cpus": os.cpu_count(), "kernel": platform.release(), "machine": platform.machine()},
    "load_average": {"start": "$LOAD_START", "end": "$LOAD_END"},
    "versions": {
        "openssh": run("ssh", "-V"),
        "java": run("java", "-version").splitlines()[0],
        "git_commit": run("git", "-C", "$REPO_ROOT", "rev-parse", "HEAD"),
    },
    "settings": {
        "rounds": $ROUNDS, "warmup_rounds": $WARMUP, "size_mib": $SIZE_MIB, "cipher": "$CIPHER",
        "portcullis_java_opts": "$PORTCULLIS_JAVA_OPTS", "connect_java_opts": "$CONNECT_JAVA_OPTS",
        "paths": {
            "openssh-jump": "ssh -J through OpenSSH sshd (AllowTcpForwarding local, PermitOpen the target); jump leg "
                            "a ControlMaster connection, public-key sign-in",
            "portcullis-jump": "ssh -J through the Portcullis SSH jump host; jump leg a ControlMaster connection, "
                               "signed in with password and TOTP",
            "portcullis-connect": "ssh to portcullis connect's loopback listener; each connection a WebSocket over "
                                  "HTTPS (TLS 1.3) to the same gateway",
        },
        "transfer": "upload: head -c SIZE /dev/zero | ssh DEST 'wc -c'; download: ssh DEST 'head -c SIZE /dev/zero' "
                    "| wc -c; the time includes the end-to-end SSH handshake with the target (setup_s: ssh DEST true)",
        "jump_cpu": "openssh-jump: the jump sshd and every process below it; portcullis paths: the gateway JVM",
    },
}
with open(sys.argv[1], "w") as f:
    json.dump(meta, f)
EOF
mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/ssh-throughput-$STAMP.json"
status=0
python3 "$STATS" report "$RUNS" "$T/meta.json" "$OUT.tmp" || status=$?
mv "$OUT.tmp" "$OUT"
"${SSH[@]}" -O exit jump-openssh 2>/dev/null || true
"${SSH[@]}" -O exit jump-portcullis 2>/dev/null || true
log "wrote $OUT"
exit "$status"
