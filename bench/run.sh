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
#   WARMUP=20           seconds of wrk per contender and size before measuring (the JVM compiles for about 15 s)
#   THREADS=2 CONNECTIONS=64   wrk -t / -c
#   PORTCULLIS_JAVA_OPTS=""    extra JVM options for both Portcullis contenders
#   PORTCULLIS_TRANSPORT=auto  server.transport of the Portcullis contender: auto (epoll), io_uring, nio
#   PORTCULLIS_CMD=...  command line of the "portcullis" contender instead of the jar (portcullis-log is then left
#                       out). It runs with BENCH_TMP, PORTCULLIS_PORT and UPSTREAM_PORT exported; to test this script
#                       without the gateway:
#                       PORTCULLIS_CMD='nginx -p "$BENCH_TMP" -e "$BENCH_TMP/selftest-error.log" -c "$BENCH_TMP/nginx-selftest.conf"'
#   KEEP_TMP=1          keep the temp dir (configs, logs, raw wrk output) for inspection
#   TLS=1               the TLS contenders (1 KiB only; off by default when PORTCULLIS_CMD is set): nginx-tls, and
#                       Portcullis over TLS on a bypass rule, for a signed-in session, and on a jwt: true route
#   PORTCULLIS_TLS_PROVIDER=auto  server.tls_provider of the TLS Portcullis: auto (BoringSSL), openssl, jdk
#   LATENCY_DURATION=5  seconds per wrk -c1 run (p99 at one connection, TLS contenders, once per round; 0 = skip)
#   IDLE_TLS_CONNECTIONS=10000  idle keep-alive TLS connections held to measure Portcullis's heap (0 = skip)
# Exit status: 0 when every response was a full 2xx/3xx, 2 when wrk saw errors, 1 when the setup failed.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$REPO_ROOT/bench"
JAR="$REPO_ROOT/gateway-core/target/portcullis.jar"
STATS="$BENCH_DIR/wrkstats.py"

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-20}"
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
TLS="${TLS:-$([[ -n "${PORTCULLIS_CMD:-}" ]] && echo 0 || echo 1)}"  # PORTCULLIS_CMD is the script's self-test
PORTCULLIS_TLS_PROVIDER="${PORTCULLIS_TLS_PROVIDER:-auto}"
LATENCY_DURATION="${LATENCY_DURATION:-5}"
IDLE_TLS_CONNECTIONS="${IDLE_TLS_CONNECTIONS:-10000}"
[[ "$LATENCY_DURATION" =~ ^[0-9]+$ && "$IDLE_TLS_CONNECTIONS" =~ ^[0-9]+$ ]] \
  || die "LATENCY_DURATION and IDLE_TLS_CONNECTIONS must be whole numbers"

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

# --- TLS contenders (issue 14) -----------------------------------------------------------------------------------
# nginx as a TLS reverse proxy, and a second Portcullis over TLS (server.tls_provider: $PORTCULLIS_TLS_PROVIDER) in
# front of the same upstream: a bypass rule, a signed-in session (cookie from a real sign-in through the portal's
# login form, a one_factor rule, identity headers) and the same session on a jwt: true route. Both TLS proxies use
# one certificate (P-256, made here by openssl). Kept apart from the plain contenders above.
TLS_USER=benchuser
TLS_PASSWORD="bench user's long password"
declare -A TLS_HOST=() TLS_PATH=()

setup_tls_contenders() {
  ensure_tools openssl
  local idle_files=$((IDLE_TLS_CONNECTIONS + 2048))
  if (($(ulimit -n) < idle_files)); then
    ulimit -n "$idle_files" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
    if (($(ulimit -n) < idle_files)); then
      log "ulimit -n is $(ulimit -n): holding $((IDLE_TLS_CONNECTIONS = $(ulimit -n) - 2048)) idle TLS connections"
    fi
  fi
  read -r NGINX_TLS_PORT PTLS_PORT < <(free_ports 2)
  PORT[nginx-tls]=$NGINX_TLS_PORT
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=login.test" \
    -addext "subjectAltName=DNS:login.test,DNS:app.test,DNS:bypass.test,IP:127.0.0.1" \
    -keyout "$BENCH_TMP/tls-key.pem" -out "$BENCH_TMP/tls-cert.pem" >/dev/null 2>&1 \
    || die "openssl could not make a certificate"
  chmod 644 "$BENCH_TMP/tls-key.pem" "$BENCH_TMP/tls-cert.pem"  # nginx's workers run as nobody
  mkdir -p "$BENCH_TMP/www/jwt" "$BENCH_TMP/tls-data"
  cp "$BENCH_TMP/www/1k.bin" "$BENCH_TMP/www/jwt/1k.bin"
  chmod 755 "$BENCH_TMP/www/jwt" && chmod 644 "$BENCH_TMP/www/jwt/1k.bin"
  chmod 700 "$BENCH_TMP/tls-data"

  # Its access log is on, buffered as nginx-log's: portcullis-tls writes its access log too, as in production.
  nginx_proxy_conf nginx-tls "$NGINX_TLS_PORT ssl" "$TUNED_BUFFERS" "$BENCH_TMP/nginx-tls-access.log" | sed "s|^  server {|  ssl_certificate $BENCH_TMP/tls-cert.pem;\n  ssl_certificate_key $BENCH_TMP/tls-key.pem;\n  ssl_protocols TLSv1.2 TLSv1.3;\n  ssl_session_cache shared:SSL:10m;\n  server {|" \
    >"$BENCH_TMP/nginx-tls.conf"
  start nginx-tls "$NGINX_BASE -c $BENCH_TMP/nginx-tls.conf"

  local hash
  hash="$(printf '%s\n' "$TLS_PASSWORD" | java -jar "$JAR" hash-password)" || die "portcullis hash-password failed"
  cat >"$BENCH_TMP/tls-users.yaml" <<EOF
users:
  - username: $TLS_USER
    display_name: Bench User
    email: bench@example.org
    groups: [staff]
    password: "$hash"
EOF
  cat >"$BENCH_TMP/portcullis-tls.yaml" <<EOF
server:
  listeners:
    - address: 127.0.0.1:$PTLS_PORT
      tls:
        certificate: $BENCH_TMP/tls-cert.pem
        private_key: $BENCH_TMP/tls-key.pem
  transport: $PORTCULLIS_TRANSPORT
  tls_provider: $PORTCULLIS_TLS_PROVIDER
limits:
  max_connections_per_address: $((IDLE_TLS_CONNECTIONS + 1024))
  idle_timeout: 300s
routes:
  - name: bypass
    host: bypass.test
    upstream: http://127.0.0.1:$UPSTREAM_PORT
  - name: app
    host: app.test
    upstream: http://127.0.0.1:$UPSTREAM_PORT
    identity_headers: remote
  - name: jwt
    host: app.test
    path_prefix: /jwt/
    upstream: http://127.0.0.1:$UPSTREAM_PORT
    identity_headers: remote
    jwt: true
portal:
  url: https://login.test:$PTLS_PORT
storage:
  data_dir: $BENCH_TMP/tls-data
  encryption_key: "$(openssl rand -hex 32)"
users:
  file: $BENCH_TMP/tls-users.yaml
audit:
  file: $BENCH_TMP/tls-audit.jsonl
  key: "$(openssl rand -hex 32)"
  rotate: never
access_control:
  default_policy: deny
  rules:
    - id: open
      hosts: [bypass.test]
      policy: bypass
    - id: signed-in
      hosts: [app.test]
      policy: one_factor
EOF
  start portcullis-tls "java $PORTCULLIS_JAVA_OPTS -jar $JAR run --config $BENCH_TMP/portcullis-tls.yaml"
  local p
  for p in pc-tls-bypass pc-tls-session pc-tls-jwt; do
    PROC[$p]=${PROC[portcullis-tls]}
    PORT[$p]=$PTLS_PORT
  done
  TLS_HOST=([nginx-tls]="127.0.0.1:$NGINX_TLS_PORT" [pc-tls-bypass]="bypass.test:$PTLS_PORT"
            [pc-tls-session]="app.test:$PTLS_PORT" [pc-tls-jwt]="app.test:$PTLS_PORT")
  TLS_PATH=([nginx-tls]="" [pc-tls-bypass]="" [pc-tls-session]="" [pc-tls-jwt]="/jwt")
  TLS_CURL=(curl -sS --max-time 10 --cacert "$BENCH_TMP/tls-cert.pem"
            --resolve "login.test:$PTLS_PORT:127.0.0.1" --resolve "app.test:$PTLS_PORT:127.0.0.1"
            --resolve "bypass.test:$PTLS_PORT:127.0.0.1")
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until "${TLS_CURL[@]}" -fo /dev/null "https://bypass.test:$PTLS_PORT/1k.bin" 2>/dev/null \
      && curl -fsS --max-time 2 --cacert "$BENCH_TMP/tls-cert.pem" -o /dev/null \
        "https://127.0.0.1:$NGINX_TLS_PORT/1k.bin" 2>/dev/null; do
    kill -0 "${PROC[portcullis-tls]}" 2>/dev/null || { tail -n 30 "$BENCH_TMP/portcullis-tls.log" >&2; die "portcullis-tls exited"; }
    kill -0 "${PROC[nginx-tls]}" 2>/dev/null || { tail -n 30 "$BENCH_TMP/nginx-tls.log" >&2; die "nginx-tls exited"; }
    ((SECONDS < deadline)) || { tail -n 30 "$BENCH_TMP/portcullis-tls.log" >&2; die "TLS contenders not ready"; }
    sleep 0.3
  done
  TLS_PROVIDER_IN_USE="$(sed -n 's/.*TLS provider: \(.*\) (server.tls_provider.*/\1/p' "$BENCH_TMP/portcullis-tls.log" | head -n 1)"
  log "nginx-tls on 127.0.0.1:$NGINX_TLS_PORT, portcullis-tls on 127.0.0.1:$PTLS_PORT (TLS provider: ${TLS_PROVIDER_IN_USE:-not logged})"
  TLS_SESSION="$(tls_sign_in)"
  TLS_CONTENDERS=(nginx-tls pc-tls-bypass pc-tls-session pc-tls-jwt)
  local name
  for name in "${TLS_CONTENDERS[@]}"; do  # each must return the file byte for byte
    WRK_ARGS=()
    tls_check "$name" || die "$name did not return the 1 KiB file over TLS"
  done
}

# Signs in as a browser would (login form with its CSRF pair, POST, the 303 to the callback, the session cookie) and
# prints the session cookie's name=value.
tls_sign_in() {
  local target="https://app.test:$PTLS_PORT/1k.bin" rd csrf_cookie csrf_token callback session
  rd="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$target")"
  "${TLS_CURL[@]}" -D "$BENCH_TMP/form.head" -o "$BENCH_TMP/form.html" "https://login.test:$PTLS_PORT/.portcullis/login?rd=$rd"
  csrf_cookie="$(tls_cookie_pair "$BENCH_TMP/form.head" __Host-portcullis-csrf)"
  csrf_token="$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$BENCH_TMP/form.html" | head -n 1)"
  [[ -n "$csrf_cookie" && -n "$csrf_token" ]] || die "no CSRF cookie and token in the login form"
  "${TLS_CURL[@]}" -D "$BENCH_TMP/login.head" -o /dev/null -H "Origin: https://login.test:$PTLS_PORT" \
    -H "Sec-Fetch-Site: same-origin" -H "Cookie: $csrf_cookie" \
    --data-urlencode "username=$TLS_USER" --data-urlencode "password=$TLS_PASSWORD" \
    --data-urlencode "csrf=$csrf_token" --data-urlencode "rd=$target" "https://login.test:$PTLS_PORT/.portcullis/login"
  callback="$(grep -i '^location:' "$BENCH_TMP/login.head" | head -n 1 | cut -d' ' -f2- | tr -d '\r')"
  if [[ "$callback" == "https://app.test:$PTLS_PORT/.portcullis/callback?"* ]]; then
    # The portal on another host hands the session over through the protected host's callback.
    "${TLS_CURL[@]}" -D "$BENCH_TMP/callback.head" -o /dev/null "$callback"
    session="$(tls_cookie_pair "$BENCH_TMP/callback.head" __Host-portcullis)"
  elif [[ "$callback" == "$target" ]]; then
    session="$(tls_cookie_pair "$BENCH_TMP/login.head" __Host-portcullis)"
  else
    die "sign-in refused: $(head -n 1 "$BENCH_TMP/login.head") to ${callback:-nowhere}"
  fi
  [[ -n "$session" ]] || die "the sign-in set no session cookie"
  log "signed in as $TLS_USER through the portal's login form"
  printf '%s\n' "$session"
}

tls_cookie_pair() { # $1 = header file, $2 = cookie name: name=value of its (non-empty) Set-Cookie
  grep -i '^set-cookie:' "$1" | sed -e 's/^[^:]*: *//' -e 's/;.*//' | tr -d '\r' | grep "^$2=." | head -n 1
}

# Sets WRK_ARGS (Host and Cookie headers, https URL) for a TLS contender; returns 1 for any other contender.
tls_wrk_args() { # $1 = contender, $2 = size
  [[ -n "${TLS_HOST[$1]:-}" ]] || return 1
  WRK_ARGS=(-H "Host: ${TLS_HOST[$1]}")
  [[ "$1" == pc-tls-session || "$1" == pc-tls-jwt ]] && WRK_ARGS+=(-H "Cookie: $TLS_SESSION")
  WRK_ARGS+=("https://127.0.0.1:${PORT[$1]}${TLS_PATH[$1]}/$2.bin")
}

tls_check() { # $1 = contender: the 1 KiB file must come back byte for byte, with the headers wrk will send
  local url="https://${TLS_HOST[$1]}${TLS_PATH[$1]}/1k.bin" cookie=()
  [[ "$1" == pc-tls-session || "$1" == pc-tls-jwt ]] && cookie=(-H "Cookie: $TLS_SESSION")
  [[ "$1" == nginx-tls ]] && url="https://127.0.0.1:$NGINX_TLS_PORT/1k.bin"
  "${TLS_CURL[@]}" -f "${cookie[@]}" -o "$BENCH_TMP/check-$1" "$url" && cmp -s "$BENCH_TMP/check-$1" "$BENCH_TMP/www/1k.bin"
}

heap_used_kib() { # $1 = pid: KiB of Java heap in use right after a full GC
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -n 1
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# Heap (after a full GC) and RSS of portcullis-tls before and while IDLE_TLS_CONNECTIONS keep-alive TLS connections,
# each after one bypassed GET, sit idle. Written to $BENCH_TMP/idle-tls.json for the report.
measure_idle_tls_heap() {
  command -v jcmd >/dev/null || { log "jcmd missing: no idle-connection heap figure"; return; }
  local pid=${PROC[portcullis-tls]} heap0 rss0 heap1 rss1 holder ready="$BENCH_TMP/idle-ready" deadline
  heap0="$(heap_used_kib "$pid")"; rss0="$(rss_kib "$pid")"
  log "opening $IDLE_TLS_CONNECTIONS idle keep-alive TLS connections to portcullis-tls"
  rm -f "$ready"
  python3 "$BENCH_DIR/idle-tls.py" "$PTLS_PORT" "bypass.test:$PTLS_PORT" /1k.bin "$IDLE_TLS_CONNECTIONS" "$ready" \
    </dev/null >"$BENCH_TMP/idle-tls.log" 2>&1 &
  holder=$!
  PIDS+=("$holder")
  deadline=$((SECONDS + 300))
  until [[ -s "$ready" ]]; do
    kill -0 "$holder" 2>/dev/null || { cat "$BENCH_TMP/idle-tls.log" >&2; log "idle-tls failed: no heap figure"; return; }
    ((SECONDS < deadline)) || { log "idle-tls not done after 300 s: no heap figure"; kill "$holder"; return; }
    sleep 1
  done
  sleep 2  # let the last responses' buffers go back to the pools
  heap1="$(heap_used_kib "$pid")"; rss1="$(rss_kib "$pid")"
  kill "$holder" 2>/dev/null || true
  wait "$holder" 2>/dev/null || true
  log "idle TLS connections: heap ${heap0} -> ${heap1} KiB, RSS ${rss0} -> ${rss1} KiB"
  printf '{"connections": %d, "heap_before_kib": %d, "heap_after_kib": %d, "rss_before_kib": %d, "rss_after_kib": %d}\n' \
    "$IDLE_TLS_CONNECTIONS" "$heap0" "$heap1" "$rss0" "$rss1" >"$BENCH_TMP/idle-tls.json"
}

TLS_CONTENDERS=()
if [[ "$TLS" == 1 ]]; then
  setup_tls_contenders
fi

# --- measure --------------------------------------------------------------------------------------------------------
CLK_TCK="$(getconf CLK_TCK)"
RUNS="$BENCH_TMP/runs.jsonl"
: >"$RUNS"

wrk_run() { # $1 = contender, $2 = size, $3 = seconds, $4 = output file, [$5 = connections, $6 = threads]
  WRK_ARGS=("http://127.0.0.1:${PORT[$1]}/$2.bin")
  tls_wrk_args "$1" "$2" || true
  timeout $(($3 + 60)) wrk -t"${6:-$THREADS}" -c"${5:-$CONNECTIONS}" -d"$3s" --latency "${WRK_ARGS[@]}" \
    >"$4" 2>&1 || { cat "$4" >&2; die "wrk against $1 failed"; }
}

# One measured wrk run, recorded with the contender's CPU time. $1 = round, $2 = size, $3 = contender,
# [$4 = connections, $5 = threads, $6 = size label in the report, $7 = seconds]
measure() {
  local round=$1 size=$2 name=$3 label=${6:-$2} out before after
  out="$BENCH_TMP/wrk-$round-$label-$name.txt"
  before="$(python3 "$STATS" cpu "${PROC[$name]}")"
  wrk_run "$name" "$size" "${7:-$DURATION}" "$out" "${4:-}" "${5:-}"
  after="$(python3 "$STATS" cpu "${PROC[$name]}")"
  python3 "$STATS" record --wrk-output "$out" --round "$round" --contender "$name" --size "$label" \
    --body-bytes "${SIZE_BYTES[$size]}" --cpu-before "$before" --cpu-after "$after" --clk-tck "$CLK_TCK" >>"$RUNS"
  log "round $round/$ROUNDS $label $name: $(tail -n 1 "$RUNS" | python3 -c \
    'import json,sys; r=json.load(sys.stdin); print("%.0f req/s, p99 %.2f ms, %.1f us CPU/req, %d errors" % (r["rps"], r["p99_ms"], r["cpu_us_per_req"] or 0, r["errors"]))')"
}

for name in "${CONTENDERS[@]}"; do
  for size in "${SIZES[@]}"; do
    log "warm-up $name $size (${WARMUP}s)"
    wrk_run "$name" "$size" "$WARMUP" "$BENCH_TMP/warmup-$name-$size.txt"
  done
done
for name in "${TLS_CONTENDERS[@]}"; do
  log "warm-up $name 1k (${WARMUP}s)"
  wrk_run "$name" 1k "$WARMUP" "$BENCH_TMP/warmup-$name-1k.txt"
  if ((LATENCY_DURATION > 0)); then
    # One connection takes other paths than 64 (a read per request, an idle loop between them): without this the
    # JVM compiles them during the first measured one-connection run, and its p99 is the compiler's, not the proxy's.
    log "warm-up $name 1k, one connection (${LATENCY_DURATION}s)"
    wrk_run "$name" 1k "$LATENCY_DURATION" "$BENCH_TMP/warmup-$name-1k-c1.txt" 1 1
  fi
done

for ((round = 1; round <= ROUNDS; round++)); do
  for size in "${SIZES[@]}"; do
    for name in "${CONTENDERS[@]}"; do
      measure "$round" "$size" "$name"
    done
    if [[ "$size" == 1k ]]; then
      for name in "${TLS_CONTENDERS[@]}"; do
        measure "$round" 1k "$name"
      done
    fi
  done
  if ((LATENCY_DURATION > 0)); then
    # One connection, one thread: the latency a lone user sees, which a saturating wrk -c64 hides behind queueing.
    for name in "${TLS_CONTENDERS[@]}"; do
      measure "$round" 1k "$name" 1 1 1k-c1 "$LATENCY_DURATION"
    done
  fi
done

if ((${#TLS_CONTENDERS[@]} > 0 && IDLE_TLS_CONNECTIONS > 0)); then
  measure_idle_tls_heap
fi

# --- report ---------------------------------------------------------------------------------------------------------
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
export PORTCULLIS_CMD PORTCULLIS_JAVA_OPTS PORTCULLIS_TRANSPORT PORTCULLIS_TLS_PROVIDER
IDLE_JSON="$BENCH_TMP/idle-tls.json"
[[ -f "$IDLE_JSON" ]] || echo null >"$IDLE_JSON"
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
        "tls_contenders": "${TLS_CONTENDERS[*]}",
        "portcullis_tls_provider": os.environ.get("PORTCULLIS_TLS_PROVIDER", "auto"),
        "portcullis_tls_provider_in_use": "${TLS_PROVIDER_IN_USE:-}",
        "latency_duration_s": $LATENCY_DURATION,
        "nginx_tls": "as nginx-tuned, plus listen ssl, the same P-256 certificate as Portcullis, "
                     "ssl_protocols TLSv1.2 TLSv1.3, ssl_session_cache shared:SSL:10m, access_log FILE combined buffer=64k",
        "access_logs": "nginx-log: nginx-default with access_log FILE combined buffer=64k; portcullis: "
                       "-Dportcullis.access.level=OFF; portcullis-log: server.access_log.file (text)",
    },
    "idle_tls": json.load(open("$IDLE_JSON")),
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
