#!/usr/bin/env bash
# Portcullis throughput benchmark: static nginx, nginx as a reverse proxy (Debian's default proxy buffers, and
# tuned 16k buffers) and Portcullis, measured by wrk on 127.0.0.1, interleaved round by round. Both proxies run twice:
# with their access log off (nginx-default, nginx-tuned, portcullis) and on, writing to a file (nginx-log: the default
# proxy with `access_log ... buffer=64k`; portcullis-log: server.access_log.file), the comparison an admin runs in
# production. See bench/README.md for how to read the output.
#
# Environment (all optional):
#   ROUNDS=3            measured rounds; each round runs every size against every contender
#   DURATION=10         seconds per measured wrk run
#   WARMUP=10           seconds of wrk per contender and size before measuring (the JVM needs it)
#   THREADS=2 CONNECTIONS=64   wrk -t / -c
#   PORTCULLIS_JAVA_OPTS=""    extra JVM options for both Portcullis contenders
#   PORTCULLIS_TRANSPORT=auto  server.transport of the Portcullis contender: auto (epoll), io_uring, nio
#   PORTCULLIS_CMD=...  command line of the "portcullis" contender instead of the jar (portcullis-log is then left
#                       out). It runs with BENCH_TMP, PORTCULLIS_PORT and UPSTREAM_PORT exported; to test this script
#                       without the gateway:
#                       PORTCULLIS_CMD='nginx -p "$BENCH_TMP" -e "$BENCH_TMP/selftest-error.log" -c "$BENCH_TMP/nginx-selftest.conf"'
#   KEEP_TMP=1          keep the temp dir (configs, logs, raw wrk output) for inspection
# Exit status: 0 when every response was a full 2xx/3xx, 2 when wrk saw errors, 1 when the setup failed.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$REPO_ROOT/bench"
JAR="$REPO_ROOT/gateway-core/target/portcullis.jar"
STATS="$BENCH_DIR/wrkstats.py"

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-10}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
PORTCULLIS_JAVA_OPTS="${PORTCULLIS_JAVA_OPTS:-}"
PORTCULLIS_TRANSPORT="${PORTCULLIS_TRANSPORT:-auto}"
READY_TIMEOUT_S=60
CONTENDERS=(direct nginx-default nginx-tuned nginx-log portcullis portcullis-log)
[[ -z "${PORTCULLIS_CMD:-}" ]] || CONTENDERS=(direct nginx-default nginx-tuned nginx-log portcullis)
SIZES=(1k 64k)
declare -A SIZE_BYTES=([1k]=1024 [64k]=65536)

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for n in "$ROUNDS" "$DURATION" "$WARMUP" "$THREADS" "$CONNECTIONS"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "ROUNDS, DURATION, WARMUP, THREADS and CONNECTIONS must be whole numbers"
done

# --- tools -------------------------------------------------------------------------------------------------------
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
ensure_tools nginx wrk curl python3
# nginx normally lives in /usr/sbin, which a non-root PATH may lack.
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

if [[ -z "${PORTCULLIS_CMD:-}" && ! -f "$JAR" ]]; then
  command -v mvn >/dev/null || die "$JAR is missing and mvn is not installed"
  log "building $JAR"
  (cd "$REPO_ROOT" && mvn -B -q -DskipTests package)
  [[ -f "$JAR" ]] || die "the build did not produce $JAR"
fi

# --- processes we start, stopped on every exit ----------------------------------------------------------------------
start_bench_tmp bench

read -r UPSTREAM_PORT NGINX_DEFAULT_PORT NGINX_TUNED_PORT NGINX_LOG_PORT PORTCULLIS_PORT PORTCULLIS_LOG_PORT \
  < <(free_ports 6)
[[ "$PORTCULLIS_LOG_PORT" =~ ^[0-9]+$ ]] || die "could not find free ports on 127.0.0.1"
declare -A PORT=([direct]=$UPSTREAM_PORT [nginx-default]=$NGINX_DEFAULT_PORT [nginx-tuned]=$NGINX_TUNED_PORT
                 [nginx-log]=$NGINX_LOG_PORT [portcullis]=$PORTCULLIS_PORT [portcullis-log]=$PORTCULLIS_LOG_PORT)
declare -A PROC=()
export BENCH_TMP UPSTREAM_PORT PORTCULLIS_PORT

# --- files and configs ----------------------------------------------------------------------------------------------
# nginx started as root hands its workers to nobody, which must be able to read the files and write temp paths.
chmod 755 "$BENCH_TMP"
mkdir -p "$BENCH_TMP/www" "$BENCH_TMP/nginx-temp"
for size in "${SIZES[@]}"; do
  head -c "${SIZE_BYTES[$size]}" /dev/zero | tr '\0' 'p' >"$BENCH_TMP/www/$size.bin"
done
chmod 755 "$BENCH_TMP/www" && chmod 644 "$BENCH_TMP/www/"*
NGINX_USER=""
if [[ "$(id -u)" == 0 ]]; then
  NGINX_USER="user nobody nogroup;"
  chown nobody:nogroup "$BENCH_TMP/nginx-temp"
fi

# Settings shared by every nginx instance: one worker per core, sendfile, long keep-alive, and the access log off
# unless $2 names its file: then nginx's default "combined" format, buffered as an admin would (64k, written when full).
nginx_common() { # $1 = name, $2 = access log file (empty: off)
  local access_log="access_log off;"
  [[ -z "${2:-}" ]] || access_log="access_log $2 combined buffer=64k;"
  cat <<EOF
daemon off;
$NGINX_USER
worker_processes auto;
pid $BENCH_TMP/$1.pid;
error_log $BENCH_TMP/$1-error.log warn;
events { worker_connections 4096; }
http {
  $access_log
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 100000;
  default_type application/octet-stream;
  client_body_temp_path $BENCH_TMP/nginx-temp/client-$1;
  proxy_temp_path $BENCH_TMP/nginx-temp/proxy-$1;
  fastcgi_temp_path $BENCH_TMP/nginx-temp/fastcgi-$1;
  uwsgi_temp_path $BENCH_TMP/nginx-temp/uwsgi-$1;
  scgi_temp_path $BENCH_TMP/nginx-temp/scgi-$1;
EOF
}

# nginx as a reverse proxy: proxy_pass with keepalive upstream connections, as the issue names it.
# $1 = name, $2 = listen port, $3 = extra location settings (empty: Debian's default proxy buffers, 8 x 4k),
# $4 = access log file (empty: off).
nginx_proxy_conf() {
  nginx_common "$1" "${4:-}"
  cat <<EOF
  upstream origin {
    server 127.0.0.1:$UPSTREAM_PORT;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$2;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      $3
    }
  }
}
EOF
}

{
  nginx_common upstream
  cat <<EOF
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    root $BENCH_TMP/www;
    location / { }
  }
}
EOF
} >"$BENCH_TMP/nginx-upstream.conf"
TUNED_BUFFERS="proxy_buffer_size 16k; proxy_buffers 8 16k;"
nginx_proxy_conf proxy-default "$NGINX_DEFAULT_PORT" "" >"$BENCH_TMP/nginx-default.conf"
nginx_proxy_conf proxy-tuned "$NGINX_TUNED_PORT" "$TUNED_BUFFERS" >"$BENCH_TMP/nginx-tuned.conf"
nginx_proxy_conf proxy-log "$NGINX_LOG_PORT" "" "$BENCH_TMP/nginx-access.log" >"$BENCH_TMP/nginx-log.conf"
nginx_proxy_conf selftest "$PORTCULLIS_PORT" "$TUNED_BUFFERS" >"$BENCH_TMP/nginx-selftest.conf"

# $1 = port, $2 = access_log section (empty: none)
portcullis_conf() {
  cat <<EOF
server:
  listeners:
    - address: 127.0.0.1:$1
  transport: $PORTCULLIS_TRANSPORT
$2
limits:
  max_connections_per_address: 1024
routes:
  - name: bench
    host: 127.0.0.1
    upstream: http://127.0.0.1:$UPSTREAM_PORT
access_control:
  default_policy: bypass
EOF
}
portcullis_conf "$PORTCULLIS_PORT" "" >"$BENCH_TMP/portcullis.yaml"
portcullis_conf "$PORTCULLIS_LOG_PORT" "  access_log:
    file: $BENCH_TMP/portcullis-access.log" >"$BENCH_TMP/portcullis-log.yaml"

# --- start and wait -------------------------------------------------------------------------------------------------
start() { # $1 = contender, $2 = command line (run by bash -c with exec, so $! is the process itself)
  bash -c "exec $2" >"$BENCH_TMP/$1.log" 2>&1 &
  PIDS+=($!)
  PROC[$1]=$!
}

wait_ready() { # $1 = contender: every file must come back byte for byte
  local name=$1 deadline=$((SECONDS + READY_TIMEOUT_S)) size
  for size in "${SIZES[@]}"; do
    until curl -fsS --max-time 2 -o "$BENCH_TMP/check-$name-$size" "http://127.0.0.1:${PORT[$name]}/$size.bin" 2>/dev/null \
        && cmp -s "$BENCH_TMP/check-$name-$size" "$BENCH_TMP/www/$size.bin"; do
      if ! kill -0 "${PROC[$name]}" 2>/dev/null; then
        tail -n 30 "$BENCH_TMP/$name.log" >&2 || true
        die "$name exited during start-up"
      fi
      ((SECONDS < deadline)) || { tail -n 30 "$BENCH_TMP/$name.log" >&2 || true; die "$name not ready after ${READY_TIMEOUT_S}s"; }
      sleep 0.2
    done
  done
  log "$name ready on 127.0.0.1:${PORT[$name]} (pid ${PROC[$name]})"
}

NGINX_BASE="$NGINX -p $BENCH_TMP -e $BENCH_TMP/nginx-startup.log"
start direct "$NGINX_BASE -c $BENCH_TMP/nginx-upstream.conf"
wait_ready direct
for name in nginx-default nginx-tuned nginx-log; do
  start "$name" "$NGINX_BASE -c $BENCH_TMP/$name.conf"
  wait_ready "$name"
done
# The log-off row turns the access log off the way earlier releases did (the switch still works).
PORTCULLIS_CMD="${PORTCULLIS_CMD:-java $PORTCULLIS_JAVA_OPTS -Dportcullis.access.level=OFF -jar $JAR run --config $BENCH_TMP/portcullis.yaml}"
start portcullis "$PORTCULLIS_CMD"
wait_ready portcullis
if [[ " ${CONTENDERS[*]} " == *" portcullis-log "* ]]; then
  start portcullis-log "java $PORTCULLIS_JAVA_OPTS -jar $JAR run --config $BENCH_TMP/portcullis-log.yaml"
  wait_ready portcullis-log
fi

# --- measure --------------------------------------------------------------------------------------------------------
CLK_TCK="$(getconf CLK_TCK)"
RUNS="$BENCH_TMP/runs.jsonl"
: >"$RUNS"

wrk_run() { # $1 = contender, $2 = size, $3 = seconds, $4 = output file
  timeout $(($3 + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3s" --latency \
    "http://127.0.0.1:${PORT[$1]}/$2.bin" >"$4" 2>&1 || { cat "$4" >&2; die "wrk against $1 failed"; }
}

for name in "${CONTENDERS[@]}"; do
  for size in "${SIZES[@]}"; do
    log "warm-up $name $size (${WARMUP}s)"
    wrk_run "$name" "$size" "$WARMUP" "$BENCH_TMP/warmup-$name-$size.txt"
  done
done

for ((round = 1; round <= ROUNDS; round++)); do
  for size in "${SIZES[@]}"; do
    for name in "${CONTENDERS[@]}"; do
      out="$BENCH_TMP/wrk-$round-$size-$name.txt"
      before="$(python3 "$STATS" cpu "${PROC[$name]}")"
      wrk_run "$name" "$size" "$DURATION" "$out"
      after="$(python3 "$STATS" cpu "${PROC[$name]}")"
      python3 "$STATS" record --wrk-output "$out" --round "$round" --contender "$name" --size "$size" \
        --body-bytes "${SIZE_BYTES[$size]}" --cpu-before "$before" --cpu-after "$after" --clk-tck "$CLK_TCK" >>"$RUNS"
      log "round $round/$ROUNDS $size $name: $(tail -n 1 "$RUNS" | python3 -c \
        'import json,sys; r=json.load(sys.stdin); print("%.0f req/s, p99 %.2f ms, %.1f us CPU/req, %d errors" % (r["rps"], r["p99_ms"], r["cpu_us_per_req"] or 0, r["errors"]))')"
    done
  done
done

# --- report ---------------------------------------------------------------------------------------------------------
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
export PORTCULLIS_CMD PORTCULLIS_JAVA_OPTS PORTCULLIS_TRANSPORT
python3 - "$BENCH_TMP/meta.json" <<EOF
import json, os, platform, subprocess, sys
def run(*cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (p.stdout + p.stderr).strip()
    except OSError as e:
        return f"unavailable: {e}"
meta = {
    "timestamp_utc": "$STAMP",
    "host": {"cpus": os.cpu_count(), "kernel": platform.release(), "machine": platform.machine()},
    "versions": {
        "nginx": run("$NGINX", "-v"),
        "wrk": run("wrk", "-v").splitlines()[0],
        "java": run("java", "-version").splitlines()[0] if run("java", "-version") else None,
        "git_commit": run("git", "-C", "$REPO_ROOT", "rev-parse", "HEAD"),
    },
    "settings": {
        "rounds": $ROUNDS, "duration_s": $DURATION, "warmup_s": $WARMUP,
        "threads": $THREADS, "connections": $CONNECTIONS, "clk_tck": $CLK_TCK,
        "sizes_bytes": {"1k": 1024, "64k": 65536},
        "portcullis_cmd": os.environ["PORTCULLIS_CMD"],
        "portcullis_java_opts": os.environ.get("PORTCULLIS_JAVA_OPTS", ""),
        "portcullis_transport": os.environ.get("PORTCULLIS_TRANSPORT", "auto"),
        "nginx": "worker_processes auto; access_log off (nginx-log: combined buffer=64k); sendfile on; tcp_nopush on; tcp_nodelay on; "
                 "keepalive_requests 100000; proxies: upstream keepalive 64, proxy_http_version 1.1, "
                 "Connection \"\", Host/X-Forwarded-For/X-Forwarded-Proto set",
        "nginx_default_buffers": "Debian defaults (proxy_buffer_size 4k, proxy_buffers 8 4k)",
        "nginx_tuned_buffers": "$TUNED_BUFFERS",
        "access_logs": "nginx-log: nginx-default with access_log FILE combined buffer=64k; portcullis: "
                       "-Dportcullis.access.level=OFF; portcullis-log: server.access_log.file (text)",
    },
}
with open(sys.argv[1], "w") as f:
    json.dump(meta, f)
EOF
mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/$STAMP.json"
status=0
python3 "$STATS" report "$RUNS" "$BENCH_TMP/meta.json" "$OUT.tmp" || status=$?
mv "$OUT.tmp" "$OUT"
log "wrote $OUT"
exit "$status"
