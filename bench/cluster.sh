#!/usr/bin/env bash
# Portcullis's signed-in path on its three storage set-ups (issue 18 §3), next to nginx as a TLS reverse proxy in the
# same run, on 127.0.0.1, interleaved round by round:
#   nginx-tls   nginx as a TLS reverse proxy in front of the upstream (the reference; as run.sh's nginx-tls)
#   pc-sqlite   one gateway node on its embedded SQLite store
#   pc-pg       one gateway node on PostgreSQL (storage.backend: postgresql) and Redis (cache.redis)
#   pc-2pg-lb   two gateway nodes on one PostgreSQL and one Redis, behind nginx as a TCP load balancer
#               (stream {}, round robin; TLS passes through to the nodes). The session cookie comes from a sign-in on
#               node 1 and is checked on node 2 before anything is measured.
# Every gateway contender is measured with the session cookie of a real sign-in through its portal's login form
# (wrk -H "Cookie: __Host-portcullis=…", 1 KiB, a one_factor rule with identity headers). After every run the script
# checks that every request was a 200 forwarded to the upstream (each node's /metrics and the upstream's request
# count): a wrong cookie would otherwise measure the redirect to the sign-in page. See bench/README.md.
#
# Environment (all optional):
#   ROUNDS=3 DURATION=10 THREADS=2 CONNECTIONS=64   as in run.sh
#   WARMUP=20                      seconds of wrk per contender before measuring (each of the two cluster nodes gets half)
#   PORTCULLIS_JAVA_OPTS=""        extra JVM options for every gateway node
#   PORTCULLIS_TLS_PROVIDER=auto   server.tls_provider of the nodes: auto (BoringSSL), openssl, jdk
#   CONTENDERS="nginx-tls pc-sqlite pc-pg pc-2pg-lb"   a subset, in this order (nginx-tls is always measured)
#   KEEP_TMP=1                     keep the temp dir (configs, logs, PostgreSQL logs, raw wrk output)
# Exit status: 0 when every run checked out, 2 when a run did not (errors, or an answer other than the upstream's 200),
# 1 when the setup failed.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$REPO_ROOT/bench"
JAR="$REPO_ROOT/gateway-core/target/portcullis.jar"
STATS="$BENCH_DIR/clusterstats.py"
PG_BIN=/usr/lib/postgresql/15/bin
STREAM_MODULE=/usr/lib/nginx/modules/ngx_stream_module.so

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-20}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
PORTCULLIS_JAVA_OPTS="${PORTCULLIS_JAVA_OPTS:-}"
PORTCULLIS_TLS_PROVIDER="${PORTCULLIS_TLS_PROVIDER:-auto}"
read -r -a WANTED <<<"${CONTENDERS:-pc-sqlite pc-pg pc-2pg-lb}"
READY_TIMEOUT_S=300  # three JVMs start at once; on a loaded 2-core machine that took 60 s
USER_NAME=benchuser
USER_PASSWORD="bench user's long password"

log() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for n in "$ROUNDS" "$DURATION" "$WARMUP" "$THREADS" "$CONNECTIONS"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS, DURATION, WARMUP, THREADS and CONNECTIONS must be whole numbers above 0"
done
CONTENDERS=(nginx-tls)
for name in "${WANTED[@]}"; do
  case "$name" in
    nginx-tls) ;;
    pc-sqlite | pc-pg | pc-2pg-lb) CONTENDERS+=("$name") ;;
    *) die "unknown contender '$name' (allowed: nginx-tls pc-sqlite pc-pg pc-2pg-lb)" ;;
  esac
done
wants() { [[ " ${CONTENDERS[*]} " == *" $1 "* ]]; }

# --- tools -------------------------------------------------------------------------------------------------------
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
ensure_tools nginx wrk curl python3 openssl redis-server
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
if [[ ! -x "$PG_BIN/initdb" ]]; then
  ensure_tools postgresql  # no command of that name: installs Debian's package, which brings $PG_BIN
  [[ -x "$PG_BIN/initdb" ]] || die "$PG_BIN/initdb is missing (Debian: apt-get install postgresql)"
fi
if [[ ! -f "$STREAM_MODULE" ]]; then
  ensure_tools libnginx-mod-stream  # nginx's TCP load balancer (stream {}) is a dynamic module on Debian
  [[ -f "$STREAM_MODULE" ]] || die "$STREAM_MODULE is missing (Debian: apt-get install libnginx-mod-stream)"
fi
if [[ "$(id -u)" == 0 ]]; then
  PG_RUN=(runuser -u postgres --)  # PostgreSQL refuses to run as root
  id postgres >/dev/null 2>&1 || die "running as root needs the postgres user (made by Debian's postgresql package)"
else
  PG_RUN=()
fi
if [[ ! -f "$JAR" ]]; then
  command -v mvn >/dev/null || die "$JAR is missing and mvn is not installed"
  log "building $JAR"
  (cd "$REPO_ROOT" && mvn -B -q -DskipTests package)
  [[ -f "$JAR" ]] || die "the build did not produce $JAR"
fi

# --- processes we start, stopped on every exit ----------------------------------------------------------------------
start_bench_tmp cluster
PG_DIRS=()
stop_all() {  # the nodes first, then PostgreSQL with its own fast shutdown (a TERM would wait for its clients)
  local keep="${KEEP_TMP:-0}" dir
  KEEP_TMP=1 stop_started 2>/dev/null
  for dir in "${PG_DIRS[@]}"; do
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1 || true
  done
  if [[ "$keep" == 1 ]]; then log "kept $BENCH_TMP"; else rm -rf "$BENCH_TMP"; fi
}
trap stop_all EXIT
chmod 755 "$BENCH_TMP"  # nginx's workers (nobody) and PostgreSQL (postgres) read and write below it

read -r UPSTREAM_PORT NGINX_TLS_PORT SQ_PORT SQ_ADMIN PG_NODE_PORT PG_NODE_ADMIN LB_PORT C1_PORT C1_ADMIN C2_PORT \
  C2_ADMIN PG_B_PORT REDIS_B_PORT PG_C_PORT REDIS_C_PORT < <(free_ports 15)
[[ "$REDIS_C_PORT" =~ ^[0-9]+$ ]] || die "could not find free ports on 127.0.0.1"
declare -A PORT=([nginx-tls]=$NGINX_TLS_PORT [pc-sqlite]=$SQ_PORT [pc-pg]=$PG_NODE_PORT [pc-2pg-lb]=$LB_PORT)
declare -A PROC=()  # process name -> pid
# What each contender's CPU is the sum of: "PART=PROCESS" items (a part may be several processes).
declare -A PARTS=([nginx-tls]="nginx=nginx-tls" [pc-sqlite]="gateway=pc-sqlite"
                  [pc-pg]="gateway=pc-pg postgresql=pg-b redis=redis-b"
                  [pc-2pg-lb]="gateway=node-1 gateway=node-2 lb=lb postgresql=pg-c redis=redis-c")
declare -A ADMINS=([pc-sqlite]="pc-sqlite=$SQ_ADMIN" [pc-pg]="pc-pg=$PG_NODE_ADMIN"
                   [pc-2pg-lb]="node-1=$C1_ADMIN node-2=$C2_ADMIN")
declare -A SESSION=()

start() { # $1 = name, $2 = command line (run by bash -c with exec, so $! is the process itself)
  bash -c "exec $2" >"$BENCH_TMP/$1.log" 2>&1 &
  PIDS+=($!)
  PROC[$1]=$!
}

alive_or_die() { # $1 = name
  kill -0 "${PROC[$1]}" 2>/dev/null || { tail -n 30 "$BENCH_TMP/$1.log" >&2 || true; die "$1 exited"; }
}

# --- files, certificate, users --------------------------------------------------------------------------------------
mkdir -p "$BENCH_TMP/www" "$BENCH_TMP/nginx-temp"
head -c 1024 /dev/zero | tr '\0' 'p' >"$BENCH_TMP/www/1k.bin"
chmod 755 "$BENCH_TMP/www" && chmod 644 "$BENCH_TMP/www/1k.bin"
NGINX_USER=""
if [[ "$(id -u)" == 0 ]]; then
  NGINX_USER="user nobody nogroup;"
  chown nobody:nogroup "$BENCH_TMP/nginx-temp"
fi
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=login.test" \
  -addext "subjectAltName=DNS:login.test,DNS:app.test,IP:127.0.0.1" \
  -keyout "$BENCH_TMP/tls-key.pem" -out "$BENCH_TMP/tls-cert.pem" >/dev/null 2>&1 \
  || die "openssl could not make a certificate"
chmod 644 "$BENCH_TMP/tls-key.pem" "$BENCH_TMP/tls-cert.pem"  # nginx's workers run as nobody
HASH="$(printf '%s\n' "$USER_PASSWORD" | java -jar "$JAR" hash-password)" || die "portcullis hash-password failed"
cat >"$BENCH_TMP/users.yaml" <<EOF
users:
  - username: $USER_NAME
    display_name: Bench User
    email: bench@example.org
    groups: [staff]
    password: "$HASH"
EOF
STORAGE_KEY="$(openssl rand -hex 32)"  # one key for every node: the two cluster nodes must share it
AUDIT_KEY="$(openssl rand -hex 32)"
PG_PASSWORD="$(openssl rand -hex 16)"
printf '%s\n' "$PG_PASSWORD" >"$BENCH_TMP/pg-password"
chmod 644 "$BENCH_TMP/pg-password"  # initdb (as postgres) reads it too; the temp dir is the bench's own

# --- nginx: the upstream, nginx-tls and the load balancer ----------------------------------------------------------
nginx_head() { # $1 = name
  cat <<EOF
daemon off;
$NGINX_USER
worker_processes auto;
pid $BENCH_TMP/$1.pid;
error_log $BENCH_TMP/$1-error.log warn;
EOF
}
nginx_http() { # $1 = name: the http settings run.sh's nginx contenders use (access log off)
  cat <<EOF
events { worker_connections 4096; }
http {
  access_log off;
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
{
  nginx_head upstream
  nginx_http upstream
  cat <<EOF
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    root $BENCH_TMP/www;
    location / { }
    location = /.bench-status { stub_status; }  # the request count the checks compare with wrk's
  }
}
EOF
} >"$BENCH_TMP/upstream.conf"
{
  nginx_head nginx-tls
  nginx_http nginx-tls
  cat <<EOF
  ssl_certificate $BENCH_TMP/tls-cert.pem;
  ssl_certificate_key $BENCH_TMP/tls-key.pem;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:SSL:10m;
  upstream origin {
    server 127.0.0.1:$UPSTREAM_PORT;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_TLS_PORT ssl;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_buffer_size 16k; proxy_buffers 8 16k;
    }
  }
}
EOF
} >"$BENCH_TMP/nginx-tls.conf"
# The TCP load balancer in front of the two nodes: TLS passes through (the nodes hold the certificate), round robin
# per connection, no access log. The nodes see 127.0.0.1 as the client, as behind any TCP balancer without PROXY
# protocol.
{
  printf 'load_module %s;\n' "$STREAM_MODULE"
  nginx_head lb
  cat <<EOF
events { worker_connections 4096; }
stream {
  upstream nodes {
    server 127.0.0.1:$C1_PORT;
    server 127.0.0.1:$C2_PORT;
  }
  server {
    listen 127.0.0.1:$LB_PORT;
    proxy_pass nodes;
  }
}
EOF
} >"$BENCH_TMP/lb.conf"
NGINX_BASE="$NGINX -p $BENCH_TMP -e $BENCH_TMP/nginx-startup.log"
start upstream "$NGINX_BASE -c $BENCH_TMP/upstream.conf"
start nginx-tls "$NGINX_BASE -c $BENCH_TMP/nginx-tls.conf"
wants pc-2pg-lb && start lb "$NGINX_BASE -c $BENCH_TMP/lb.conf"
UPSTREAM_STATUS="http://127.0.0.1:$UPSTREAM_PORT/.bench-status"

# --- PostgreSQL and Redis: one of each per contender, so each contender's CPU is its own ---------------------------
start_postgres() { # $1 = name, $2 = port: a throwaway cluster (initdb, pg_ctl), database "portcullis"
  local dir="$BENCH_TMP/$1"
  mkdir -p "$dir/sock"
  [[ "$(id -u)" != 0 ]] || chown -R postgres:postgres "$dir"
  "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$dir/data" -U portcullis --pwfile="$BENCH_TMP/pg-password" -E UTF8 --locale=C \
    -N --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  PG_DIRS+=("$dir")
  # PostgreSQL's defaults otherwise (fsync and synchronous_commit on), as a production server keeps them.
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c port=$2 -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/sock -c max_connections=100" \
    start >/dev/null || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL $1 did not start"; }
  "${PG_RUN[@]}" "$PG_BIN/createdb" -h "$dir/sock" -p "$2" -U portcullis portcullis || die "createdb failed"
  PROC[$1]="$(head -n 1 "$dir/data/postmaster.pid")"
  log "PostgreSQL $1 on 127.0.0.1:$2 (postmaster pid ${PROC[$1]})"
}
start_redis() { # $1 = name, $2 = port
  mkdir -p "$BENCH_TMP/$1"
  start "$1" "redis-server --port $2 --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir $BENCH_TMP/$1"
}
if wants pc-pg; then start_postgres pg-b "$PG_B_PORT"; start_redis redis-b "$REDIS_B_PORT"; fi
if wants pc-2pg-lb; then start_postgres pg-c "$PG_C_PORT"; start_redis redis-c "$REDIS_C_PORT"; fi

# --- the gateway nodes ------------------------------------------------------------------------------------------------
storage_sqlite() { # $1 = data dir
  printf 'storage:\n  data_dir: %s\n  encryption_key: "%s"\n' "$1" "$STORAGE_KEY"
}
# Longer timeouts than the defaults, for the start only: three JVMs starting at once on a loaded 2-core machine
# missed PostgreSQL's and Redis's connect timeouts, and Lettuce's first handshake, which runs under
# command_timeout (1 s), timed out in a cold JVM ("cannot start: Unable to connect"). A signed-in request of the
# benchmark sends no command to Redis (only the fan-out's heartbeats do), so the longer command timeout does not
# change what is measured.
storage_postgres() { # $1 = data dir, $2 = PostgreSQL port, $3 = Redis port
  cat <<EOF
storage:
  backend: postgresql
  data_dir: $1
  encryption_key: "$STORAGE_KEY"
  postgresql:
    url: postgresql://127.0.0.1:$2/portcullis
    user: portcullis
    password: \${file:$BENCH_TMP/pg-password}
    ssl_mode: disable
    connect_timeout: 10s
cache:
  redis:
    url: redis://127.0.0.1:$3
    connect_timeout: 10s
    command_timeout: 5s
EOF
}
# $1 = name, $2 = listen port, $3 = admin port, $4 = portal port (the load balancer's for the cluster nodes),
# $5 = storage (and cache) section. As run.sh's pc-tls-session: a one_factor rule with identity headers; access log
# off (nginx-tls has none either); the admin listener gives the checks each node's request counters.
node_conf() {
  mkdir -p "$BENCH_TMP/$1-data"
  chmod 700 "$BENCH_TMP/$1-data"
  cat <<EOF
server:
  listeners:
    - address: 127.0.0.1:$2
      tls:
        certificate: $BENCH_TMP/tls-cert.pem
        private_key: $BENCH_TMP/tls-key.pem
  tls_provider: $PORTCULLIS_TLS_PROVIDER
  access_log:
    enabled: false
  admin:
    address: 127.0.0.1:$3
limits:
  max_connections_per_address: 1024
routes:
  - name: app
    host: app.test
    upstream: http://127.0.0.1:$UPSTREAM_PORT
    identity_headers: remote
portal:
  url: https://login.test:$4
users:
  file: $BENCH_TMP/users.yaml
audit:
  file: $BENCH_TMP/$1-audit.jsonl
  key: "$AUDIT_KEY"
  rotate: never
access_control:
  default_policy: deny
  rules:
    - id: signed-in
      hosts: [app.test]
      policy: one_factor
$5
EOF
}
start_node() { # $1 = name, $2 = config
  start "$1" "java $PORTCULLIS_JAVA_OPTS -jar $JAR run --config $2"
}
wait_ready() { # $1 = name, $2 = admin port
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$2/health/ready" 2>/dev/null; do
    alive_or_die "$1"
    ((SECONDS < deadline)) || { tail -n 30 "$BENCH_TMP/$1.log" >&2; die "$1 not ready after ${READY_TIMEOUT_S}s"; }
    sleep 0.3
  done
  log "$1 ready (pid ${PROC[$1]})"
}
if wants pc-sqlite; then
  node_conf pc-sqlite "$SQ_PORT" "$SQ_ADMIN" "$SQ_PORT" "$(storage_sqlite "$BENCH_TMP/pc-sqlite-data")" \
    >"$BENCH_TMP/pc-sqlite.yaml"
  start_node pc-sqlite "$BENCH_TMP/pc-sqlite.yaml"
fi
if wants pc-pg; then
  node_conf pc-pg "$PG_NODE_PORT" "$PG_NODE_ADMIN" "$PG_NODE_PORT" \
    "$(storage_postgres "$BENCH_TMP/pc-pg-data" "$PG_B_PORT" "$REDIS_B_PORT")" >"$BENCH_TMP/pc-pg.yaml"
  start_node pc-pg "$BENCH_TMP/pc-pg.yaml"
fi
if wants pc-2pg-lb; then
  node_conf node-1 "$C1_PORT" "$C1_ADMIN" "$LB_PORT" \
    "$(storage_postgres "$BENCH_TMP/node-1-data" "$PG_C_PORT" "$REDIS_C_PORT")" >"$BENCH_TMP/node-1.yaml"
  node_conf node-2 "$C2_PORT" "$C2_ADMIN" "$LB_PORT" \
    "$(storage_postgres "$BENCH_TMP/node-2-data" "$PG_C_PORT" "$REDIS_C_PORT")" >"$BENCH_TMP/node-2.yaml"
  start_node node-1 "$BENCH_TMP/node-1.yaml"
  wait_ready node-1 "$C1_ADMIN"  # the first node applies the migrations; the second then finds the schema current
  start_node node-2 "$BENCH_TMP/node-2.yaml"
fi
wants pc-sqlite && wait_ready pc-sqlite "$SQ_ADMIN"
wants pc-pg && wait_ready pc-pg "$PG_NODE_ADMIN"
wants pc-2pg-lb && wait_ready node-2 "$C2_ADMIN"
for name in upstream nginx-tls $(wants pc-2pg-lb && echo lb); do alive_or_die "$name"; done

# --- sign-in and checks ---------------------------------------------------------------------------------------------
# curl as a browser for origin https://HOST:$1, connected to 127.0.0.1:$2 whatever the host (a node directly, or the
# load balancer): login.test is the portal, app.test the protected host.
browser() { # $1 = origin port, $2 = port connected to, then curl's arguments
  local origin=$1 to=$2
  shift 2
  curl -sS --max-time 10 --cacert "$BENCH_TMP/tls-cert.pem" \
    --connect-to "login.test:$origin:127.0.0.1:$to" --connect-to "app.test:$origin:127.0.0.1:$to" "$@"
}
cookie_pair() { # $1 = header file, $2 = cookie name: name=value of its (non-empty) Set-Cookie
  grep -i '^set-cookie:' "$1" | sed -e 's/^[^:]*: *//' -e 's/;.*//' | tr -d '\r' | grep "^$2=." | head -n 1 || true
}
# Signs in as a browser would (login form with its CSRF pair, POST with Origin, the 303 to app.test's callback, the
# session cookie) and prints the session cookie's name=value. $1 = origin port, $2 = port connected to, $3 = label.
sign_in() {
  local origin=$1 to=$2 tmp="$BENCH_TMP/signin-$3" target rd csrf_cookie csrf_token callback session
  target="https://app.test:$origin/1k.bin"
  rd="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$target")"
  browser "$origin" "$to" -D "$tmp-form.head" -o "$tmp-form.html" "https://login.test:$origin/.portcullis/login?rd=$rd"
  csrf_cookie="$(cookie_pair "$tmp-form.head" __Host-portcullis-csrf)"
  csrf_token="$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$tmp-form.html" | head -n 1)"
  [[ -n "$csrf_cookie" && -n "$csrf_token" ]] || die "$3: no CSRF cookie and token in the login form"
  browser "$origin" "$to" -D "$tmp-login.head" -o /dev/null -H "Origin: https://login.test:$origin" \
    -H "Sec-Fetch-Site: same-origin" -H "Cookie: $csrf_cookie" \
    --data-urlencode "username=$USER_NAME" --data-urlencode "password=$USER_PASSWORD" \
    --data-urlencode "csrf=$csrf_token" --data-urlencode "rd=$target" "https://login.test:$origin/.portcullis/login"
  callback="$(grep -i '^location:' "$tmp-login.head" | head -n 1 | cut -d' ' -f2- | tr -d '\r')"
  if [[ "$callback" == "https://app.test:$origin/.portcullis/callback?"* ]]; then
    # The portal on another host hands the session over through the protected host's callback.
    browser "$origin" "$to" -D "$tmp-callback.head" -o /dev/null "$callback"
    session="$(cookie_pair "$tmp-callback.head" __Host-portcullis)"
  elif [[ "$callback" == "$target" ]]; then
    session="$(cookie_pair "$tmp-login.head" __Host-portcullis)"
  else
    die "$3: sign-in refused: $(head -n 1 "$tmp-login.head") to ${callback:-nowhere}"
  fi
  [[ -n "$session" ]] || die "$3: the sign-in set no session cookie"
  printf '%s\n' "$session"
}
# The 1 KiB file must come back byte for byte with the cookie wrk will send. $1 = origin port, $2 = port, $3 = cookie.
fetches_file() {
  browser "$1" "$2" -f -H "Cookie: $3" -o "$BENCH_TMP/check" "https://app.test:$1/1k.bin" \
    && cmp -s "$BENCH_TMP/check" "$BENCH_TMP/www/1k.bin"
}

deadline=$((SECONDS + READY_TIMEOUT_S))
until curl -fsS --max-time 2 --cacert "$BENCH_TMP/tls-cert.pem" -o "$BENCH_TMP/check" \
    "https://127.0.0.1:$NGINX_TLS_PORT/1k.bin" 2>/dev/null && cmp -s "$BENCH_TMP/check" "$BENCH_TMP/www/1k.bin"; do
  alive_or_die nginx-tls
  ((SECONDS < deadline)) || die "nginx-tls not ready"
  sleep 0.2
done
if wants pc-sqlite; then
  SESSION[pc-sqlite]="$(sign_in "$SQ_PORT" "$SQ_PORT" pc-sqlite)"
  fetches_file "$SQ_PORT" "$SQ_PORT" "${SESSION[pc-sqlite]}" || die "pc-sqlite: the cookie does not fetch the file"
  fetches_file "$SQ_PORT" "$SQ_PORT" "__Host-portcullis=forged" 2>/dev/null && die "pc-sqlite: a forged cookie fetched the file"
  log "pc-sqlite: signed in as $USER_NAME through the login form"
fi
if wants pc-pg; then
  SESSION[pc-pg]="$(sign_in "$PG_NODE_PORT" "$PG_NODE_PORT" pc-pg)"
  fetches_file "$PG_NODE_PORT" "$PG_NODE_PORT" "${SESSION[pc-pg]}" || die "pc-pg: the cookie does not fetch the file"
  log "pc-pg: signed in as $USER_NAME through the login form"
fi
if wants pc-2pg-lb; then
  # Signed in on node 1 (every step of it there), then the same cookie straight to node 2, then through the balancer.
  SESSION[pc-2pg-lb]="$(sign_in "$LB_PORT" "$C1_PORT" pc-2pg-lb)"
  fetches_file "$LB_PORT" "$C1_PORT" "${SESSION[pc-2pg-lb]}" || die "pc-2pg-lb: node 1 does not take its own cookie"
  fetches_file "$LB_PORT" "$C2_PORT" "${SESSION[pc-2pg-lb]}" || die "pc-2pg-lb: node 2 does not take node 1's cookie"
  fetches_file "$LB_PORT" "$LB_PORT" "${SESSION[pc-2pg-lb]}" || die "pc-2pg-lb: the balancer does not pass the cookie"
  log "pc-2pg-lb: signed in on node 1; node 2 and the balancer take the cookie"
fi

# --- measure --------------------------------------------------------------------------------------------------------
CLK_TCK="$(getconf CLK_TCK)"
RUNS="$BENCH_TMP/runs.jsonl"
: >"$RUNS"

wrk_run() { # $1 = contender, $2 = seconds, $3 = output file
  local args=(-H "Host: app.test:${PORT[$1]}")
  [[ "$1" == nginx-tls ]] && args=()
  [[ -n "${SESSION[$1]:-}" ]] && args+=(-H "Cookie: ${SESSION[$1]}")
  timeout $(($2 + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" --latency "${args[@]}" \
    "https://127.0.0.1:${PORT[$1]}/1k.bin" >"$3" 2>&1 || { cat "$3" >&2; die "wrk against $1 failed"; }
}

snapshot() { # $1 = contender, $2 = output file
  local args=() item part
  for item in ${PARTS[$1]}; do
    part="${item%%=*}"
    args+=(--cpu "$part=${PROC[${item#*=}]}")
  done
  for item in ${ADMINS[$1]:-}; do args+=(--admin "$item"); done
  python3 "$STATS" snapshot "${args[@]}" --upstream-status "$UPSTREAM_STATUS" >"$2" || die "snapshot of $1 failed"
}

measure() { # $1 = round, $2 = contender
  local out="$BENCH_TMP/wrk-$1-$2.txt" before="$BENCH_TMP/before-$1-$2.json" after="$BENCH_TMP/after-$1-$2.json"
  snapshot "$2" "$before"
  wrk_run "$2" "$DURATION" "$out"
  snapshot "$2" "$after"
  python3 "$STATS" record --wrk-output "$out" --before "$before" --after "$after" --round "$1" --contender "$2" \
    --connections "$CONNECTIONS" --body-bytes 1024 --clk-tck "$CLK_TCK" >>"$RUNS"
  log "round $1/$ROUNDS $2: $(tail -n 1 "$RUNS" | python3 -c 'import json, sys
r = json.load(sys.stdin)
nodes = "".join(" %s %d" % (n, s["forwarded_200"]) for n, s in r["nodes"].items())
print("%.0f req/s, p99 %.2f ms, %.1f us CPU/req (%s)%s%s" % (r["rps"], r["p99_ms"], r["cpu_us_per_req_total"] or 0,
      ", ".join("%s %.1f" % (p, v or 0) for p, v in r["cpu_us_per_req"].items()),
      (", forwarded 200s:" + nodes) if nodes else "", "".join("; INVALID: " + p for p in r["problems"])))')"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for name in "${CONTENDERS[@]}"; do
  log "warm-up $name (${WARMUP}s)"
  wrk_run "$name" "$WARMUP" "$BENCH_TMP/warmup-$name.txt"
done
for ((round = 1; round <= ROUNDS; round++)); do
  for name in "${CONTENDERS[@]}"; do
    measure "$round" "$name"
  done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- report ---------------------------------------------------------------------------------------------------------
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
CPU_COUNTED="$(for name in "${CONTENDERS[@]}"; do printf '%s: %s; ' "$name" "${PARTS[$name]}"; done)"
python3 - "$BENCH_TMP/meta.json" <<EOF
import json, os, platform, subprocess, sys
def run(*cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (p.stdout + p.stderr).strip()
    except OSError as e:
        return f"unavailable: {e}"
java = run("java", "-version")
meta = {
    "timestamp_utc": "$STAMP",
    "host": {"cpus": os.cpu_count(), "kernel": platform.release(), "machine": platform.machine(),
             "load_average_before": "$LOAD_BEFORE", "load_average_after": "$LOAD_AFTER"},
    "versions": {
        "nginx": run("$NGINX", "-v"), "wrk": run("wrk", "-v").splitlines()[0],
        "java": java.splitlines()[0] if java else None,
        "postgresql": run("$PG_BIN/postgres", "--version"), "redis": run("redis-server", "--version"),
        "git_commit": run("git", "-C", "$REPO_ROOT", "rev-parse", "HEAD"),
    },
    "settings": {
        "rounds": $ROUNDS, "duration_s": $DURATION, "warmup_s": $WARMUP, "threads": $THREADS,
        "connections": $CONNECTIONS, "clk_tck": $CLK_TCK, "body_bytes": 1024,
        "contenders": "${CONTENDERS[*]}",
        "portcullis_java_opts": "$PORTCULLIS_JAVA_OPTS",
        "portcullis_tls_provider": "$PORTCULLIS_TLS_PROVIDER",
        "nginx_tls": "worker_processes auto, access_log off, TLS 1.2/1.3 with the nodes' P-256 certificate, "
                     "ssl_session_cache shared:SSL:10m, upstream keepalive 64, proxy buffers 8 x 16k",
        "gateway_nodes": "TLS listener, one_factor rule on app.test with identity_headers: remote, access log off, "
                         "admin listener (metrics), audit file, users file; storage per contender",
        "pc_pg": "storage.backend: postgresql (pool_size 10, ssl_mode disable) + cache.redis, each its own "
                 "PostgreSQL 15 cluster (defaults: fsync, synchronous_commit on) and redis-server (no persistence)",
        "pc_2pg_lb": "two nodes, one PostgreSQL and one Redis, nginx stream {} round robin TCP load balancer "
                     "(TLS passes through to the nodes); cookie from a sign-in on node 1",
        "cpu_counted": "$CPU_COUNTED",
    },
}
with open(sys.argv[1], "w") as f:
    json.dump(meta, f)
EOF
mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/cluster-$STAMP.json"
status=0
python3 "$STATS" report "$RUNS" "$BENCH_TMP/meta.json" "$OUT.tmp" || status=$?
mv "$OUT.tmp" "$OUT"
log "load average before/after: $LOAD_BEFORE / $LOAD_AFTER"
log "wrote $OUT"
exit "$status"
