#!/usr/bin/env bash
# Sign-in flood (issue #4 §4): "A flood of 1,000 parallel sign-in attempts must not raise the p99 latency of a
# signed-in user's proxied requests by more than 2x." Everything runs on 127.0.0.1 over TLS (self-signed cert):
# nginx serves a 1 KiB file, Portcullis (./portcullis run, production Argon2id defaults) protects it with sign-in,
# a user signs in with curl, and wrk measures that user's p99 alone and again while 1,000 connections post
# wrong passwords to the login form. See bench/README.md, "Sign-in flood".
#
# Environment (all optional):
#   DURATION=10        seconds of each measured wrk run (the signed-in user)
#   WARMUP=10          seconds of the user's load before measuring (the JVM needs it)
#   ROUNDS=1           rounds of (alone, flooded)
#   USER_THREADS=1 USER_CONNECTIONS=8     wrk -t / -c for the signed-in user
#   FLOOD_THREADS=2 FLOOD_CONNECTIONS=1000 wrk -t / -c for the flood
#   FLOOD_LEAD=3       seconds the flood runs before the user's measurement starts (1,000 TLS handshakes)
#   PORTCULLIS_JAVA_OPTS=""  extra JVM options
#   KEEP_TMP=1         keep the temp dir (config, logs, raw wrk output)
# Exit status: 0 when the user's requests all succeeded, 2 when the user saw errors, 1 when the setup failed.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$REPO_ROOT/bench"
LAUNCHER="$REPO_ROOT/portcullis"

DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-10}"
ROUNDS="${ROUNDS:-1}"
USER_THREADS="${USER_THREADS:-1}"
USER_CONNECTIONS="${USER_CONNECTIONS:-8}"
FLOOD_THREADS="${FLOOD_THREADS:-2}"
FLOOD_CONNECTIONS="${FLOOD_CONNECTIONS:-1000}"
FLOOD_LEAD="${FLOOD_LEAD:-3}"
export PORTCULLIS_JAVA_OPTS="${PORTCULLIS_JAVA_OPTS:-}"
READY_TIMEOUT_S=60
# wrk counts a response slower than its timeout (default 2 s) as an error, not as latency: far above any p99 here.
WRK_TIMEOUT=30
TARGET_RATIO=2.0
USERNAME=benchuser
PASSWORD="bench user's long password"

log() { printf '[flood %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for n in "$DURATION" "$WARMUP" "$ROUNDS" "$USER_THREADS" "$USER_CONNECTIONS" "$FLOOD_THREADS" \
    "$FLOOD_CONNECTIONS" "$FLOOD_LEAD"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "all numeric settings must be whole numbers"
done
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_tools nginx wrk curl openssl python3
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

# wrk needs a descriptor per connection, the gateway two (client and upstream side); both inherit this limit.
NEED_FILES=$((FLOOD_CONNECTIONS * 2 + 1024))
if (($(ulimit -n) < NEED_FILES)); then
  ulimit -n "$NEED_FILES" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  (($(ulimit -n) >= NEED_FILES)) || die "ulimit -n is $(ulimit -n), need $NEED_FILES (raise the hard limit)"
fi

# --- processes we start, stopped on every exit ----------------------------------------------------------------------
start_bench_tmp flood

read -r UPSTREAM_PORT PORT < <(free_ports 2)
[[ "$PORT" =~ ^[0-9]+$ ]] || die "could not find free ports on 127.0.0.1"
PORTAL="login.test"
APP="app.test"
RESOLVE=(--resolve "$PORTAL:$PORT:127.0.0.1" --resolve "$APP:$PORT:127.0.0.1")

# --- files and configs ----------------------------------------------------------------------------------------------
chmod 755 "$BENCH_TMP"
mkdir -p "$BENCH_TMP/www" "$BENCH_TMP/nginx-temp" "$BENCH_TMP/data"
head -c 1024 /dev/zero | tr '\0' 'p' >"$BENCH_TMP/www/1k.bin"
chmod 755 "$BENCH_TMP/www" && chmod 644 "$BENCH_TMP/www/1k.bin"
chmod 700 "$BENCH_TMP/data"
NGINX_USER=""
if [[ "$(id -u)" == 0 ]]; then
  NGINX_USER="user nobody nogroup;"
  chown nobody:nogroup "$BENCH_TMP/nginx-temp"
fi
cat >"$BENCH_TMP/nginx.conf" <<EOF
daemon off;
$NGINX_USER
worker_processes 1;
pid $BENCH_TMP/nginx.pid;
error_log $BENCH_TMP/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  default_type application/octet-stream;
  client_body_temp_path $BENCH_TMP/nginx-temp/client;
  proxy_temp_path $BENCH_TMP/nginx-temp/proxy;
  fastcgi_temp_path $BENCH_TMP/nginx-temp/fastcgi;
  uwsgi_temp_path $BENCH_TMP/nginx-temp/uwsgi;
  scgi_temp_path $BENCH_TMP/nginx-temp/scgi;
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    root $BENCH_TMP/www;
    location / { }
  }
}
EOF

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$PORTAL" \
  -addext "subjectAltName=DNS:$PORTAL,DNS:$APP" -keyout "$BENCH_TMP/key.pem" -out "$BENCH_TMP/cert.pem" \
  >/dev/null 2>&1 || die "openssl could not make a certificate"

log "hashing the bench user's password (Argon2id, production defaults)"
HASH="$(printf '%s\n' "$PASSWORD" | "$LAUNCHER" hash-password)" || die "./portcullis hash-password failed"
[[ "$HASH" == '$argon2id$'* ]] || die "unexpected hash-password output"
cat >"$BENCH_TMP/users.yaml" <<EOF
users:
  - username: $USERNAME
    display_name: Bench User
    email: bench@example.org
    groups: [staff]
    password: "$HASH"
EOF

# Lockout at its caps so that wrong passwords keep reaching the password check instead of a cheap "locked"
# answer; each flood attempt names a different account, so the per-account limit never triggers either.
cat >"$BENCH_TMP/portcullis.yaml" <<EOF
server:
  listeners:
    - address: 127.0.0.1:$PORT
      tls:
        certificate: $BENCH_TMP/cert.pem
        private_key: $BENCH_TMP/key.pem
limits:
  max_connections_per_address: $((FLOOD_CONNECTIONS + USER_CONNECTIONS + 256))
routes:
  - name: app
    host: $APP
    upstream: http://127.0.0.1:$UPSTREAM_PORT
portal:
  url: https://$PORTAL:$PORT
storage:
  data_dir: $BENCH_TMP/data
  encryption_key: "$(openssl rand -hex 32)"
users:
  file: $BENCH_TMP/users.yaml
audit:
  file: $BENCH_TMP/audit.jsonl
  key: "$(openssl rand -hex 32)"
  rotate: never
lockout:
  max_failures: 100
  max_consecutive_failures: 100
  address_max_failures: 1000
access_control:
  default_policy: deny
  rules:
    - id: signed-in
      hosts: [$APP]
      policy: one_factor
EOF

# --- start and wait -------------------------------------------------------------------------------------------------
bash -c "exec $NGINX -p $BENCH_TMP -e $BENCH_TMP/nginx-startup.log -c $BENCH_TMP/nginx.conf" \
  >"$BENCH_TMP/nginx.log" 2>&1 &
PIDS+=($!)
bash -c "exec \"$LAUNCHER\" run --config $BENCH_TMP/portcullis.yaml" >"$BENCH_TMP/portcullis.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")

CURL=(curl -sS --max-time 10 --cacert "$BENCH_TMP/cert.pem" "${RESOLVE[@]}")
deadline=$((SECONDS + READY_TIMEOUT_S))
until "${CURL[@]}" -o /dev/null "https://$PORTAL:$PORT/.portcullis/login" 2>/dev/null \
    && curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$UPSTREAM_PORT/1k.bin" 2>/dev/null; do
  kill -0 "$GATEWAY_PID" 2>/dev/null || { tail -n 30 "$BENCH_TMP/portcullis.log" >&2; die "portcullis exited"; }
  ((SECONDS < deadline)) || { tail -n 30 "$BENCH_TMP/portcullis.log" >&2; die "not ready after ${READY_TIMEOUT_S}s"; }
  sleep 0.3
done
log "portcullis ready on https://127.0.0.1:$PORT (pid $GATEWAY_PID)"

# --- sign the user in, as a browser would -------------------------------------------------------------------------
TARGET="https://$APP:$PORT/1k.bin"
RD="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$TARGET")"
header_value() { # $1 = header file, $2 = name: the first value, CR stripped
  grep -i "^$2:" "$1" | head -n 1 | cut -d' ' -f2- | tr -d '\r'
}
cookie_pair() { # $1 = header file, $2 = cookie name: name=value of its (non-empty) Set-Cookie
  grep -i '^set-cookie:' "$1" | sed -e 's/^[^:]*: *//' -e 's/;.*//' | tr -d '\r' | grep "^$2=." | head -n 1
}

"${CURL[@]}" -D "$BENCH_TMP/form.head" -o "$BENCH_TMP/form.html" "https://$PORTAL:$PORT/.portcullis/login?rd=$RD"
CSRF_COOKIE="$(cookie_pair "$BENCH_TMP/form.head" __Host-portcullis-csrf)"
CSRF_TOKEN="$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$BENCH_TMP/form.html" | head -n 1)"
[[ -n "$CSRF_COOKIE" && -n "$CSRF_TOKEN" ]] || die "no CSRF cookie and token in the login form"
FORM_HEADERS=(-H "Origin: https://$PORTAL:$PORT" -H "Sec-Fetch-Site: same-origin" -H "Cookie: $CSRF_COOKIE")
"${CURL[@]}" -D "$BENCH_TMP/login.head" -o /dev/null "${FORM_HEADERS[@]}" \
  --data-urlencode "username=$USERNAME" --data-urlencode "password=$PASSWORD" \
  --data-urlencode "csrf=$CSRF_TOKEN" --data-urlencode "rd=$TARGET" "https://$PORTAL:$PORT/.portcullis/login"
CALLBACK="$(header_value "$BENCH_TMP/login.head" Location)"
if [[ "$CALLBACK" == "https://$APP:$PORT/.portcullis/callback?"* ]]; then
  "${CURL[@]}" -D "$BENCH_TMP/callback.head" -o /dev/null "$CALLBACK"
  SESSION="$(cookie_pair "$BENCH_TMP/callback.head" __Host-portcullis)"
  [[ -n "$SESSION" ]] || die "the callback set no session cookie: $(head -n 1 "$BENCH_TMP/callback.head")"
elif [[ "$CALLBACK" == "$TARGET" ]]; then
  # The form was opened at the portal, not from the protected host, so no SSO state binds this browser to app.test
  # (SECURITY-RULES 25): the portal sends it to the target without a code. A browser would go round once more; the
  # portal's session cookie names the same session, which is all this bench needs (bench/run.sh does the same).
  SESSION="$(cookie_pair "$BENCH_TMP/login.head" __Host-portcullis)"
  [[ -n "$SESSION" ]] || die "the sign-in set no session cookie: $(head -n 1 "$BENCH_TMP/login.head")"
else
  die "sign-in refused: $(head -n 1 "$BENCH_TMP/login.head") to ${CALLBACK:-nowhere}"
fi
"${CURL[@]}" -f -o "$BENCH_TMP/check.bin" -H "Cookie: $SESSION" "$TARGET" || die "the signed-in request failed"
cmp -s "$BENCH_TMP/check.bin" "$BENCH_TMP/www/1k.bin" || die "the signed-in request did not return the file"
log "signed in as $USERNAME; the session serves $TARGET"

# --- the flood: wrong passwords, each for another account, with a valid CSRF pair -----------------------------------
cat >"$BENCH_TMP/flood.lua" <<EOF
wrk.method = "POST"
wrk.path = "/.portcullis/login"
wrk.headers["Host"] = "$PORTAL:$PORT"
wrk.headers["Origin"] = "https://$PORTAL:$PORT"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["Cookie"] = "$CSRF_COOKIE"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local threads = {}
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end
function init(args)
  counter = 0
  statuses = {}
end
function request()
  counter = counter + 1
  local body = "username=flood" .. id .. "x" .. counter .. "&password=not-the-password&csrf=$CSRF_TOKEN&rd=$RD"
  return wrk.format(nil, nil, nil, body)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("flood-status %d %d\n", status, count))
  end
end
EOF

user_wrk() { # $1 = seconds, $2 = output file: the signed-in user's GETs of the 1 KiB file
  timeout $(($1 + 60)) wrk -t"$USER_THREADS" -c"$USER_CONNECTIONS" -d"$1s" --timeout "${WRK_TIMEOUT}s" --latency \
    -H "Host: $APP:$PORT" -H "Cookie: $SESSION" "https://127.0.0.1:$PORT/1k.bin" >"$2" 2>&1 \
    || { cat "$2" >&2; die "wrk for the signed-in user failed"; }
}

log "warm-up (${WARMUP}s)"
user_wrk "$WARMUP" "$BENCH_TMP/warmup.txt"
RUNS="$BENCH_TMP/runs.jsonl"
: >"$RUNS"
parse() { # $1 = wrk output, $2 = round, $3 = phase
  python3 - "$BENCH_DIR" "$1" "$2" "$3" <<'EOF'
import json, sys
sys.path.insert(0, sys.argv[1])
from wrkstats import parse_wrk
text = open(sys.argv[2]).read()
run = parse_wrk(text)
run.update({"round": int(sys.argv[3]), "phase": sys.argv[4]})
statuses = {}
for line in text.splitlines():
    if line.startswith("flood-status "):
        _, status, count = line.split()
        statuses[status] = int(count)
if statuses:
    run["statuses"] = statuses
print(json.dumps(run))
EOF
}

for ((round = 1; round <= ROUNDS; round++)); do
  log "round $round/$ROUNDS: the user alone (${DURATION}s)"
  user_wrk "$DURATION" "$BENCH_TMP/alone-$round.txt"
  parse "$BENCH_TMP/alone-$round.txt" "$round" alone >>"$RUNS"

  log "round $round/$ROUNDS: $FLOOD_CONNECTIONS connections posting wrong passwords, the user measured after ${FLOOD_LEAD}s"
  flood_seconds=$((FLOOD_LEAD + DURATION + 2))
  timeout $((flood_seconds + 60)) wrk -t"$FLOOD_THREADS" -c"$FLOOD_CONNECTIONS" -d"${flood_seconds}s" \
    --timeout "${WRK_TIMEOUT}s" --latency \
    -s "$BENCH_TMP/flood.lua" "https://127.0.0.1:$PORT/.portcullis/login" >"$BENCH_TMP/flood-$round.txt" 2>&1 &
  FLOOD_PID=$!
  PIDS+=("$FLOOD_PID")
  sleep "$FLOOD_LEAD"
  user_wrk "$DURATION" "$BENCH_TMP/flooded-$round.txt"
  wait "$FLOOD_PID" || { cat "$BENCH_TMP/flood-$round.txt" >&2; die "the flood's wrk failed"; }
  parse "$BENCH_TMP/flooded-$round.txt" "$round" flooded >>"$RUNS"
  parse "$BENCH_TMP/flood-$round.txt" "$round" flood >>"$RUNS"
  kill -0 "$GATEWAY_PID" 2>/dev/null || die "portcullis died during the flood"
done

# --- report ---------------------------------------------------------------------------------------------------------
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/signin-flood-$STAMP.json"
status=0
python3 - "$RUNS" "$OUT" "$BENCH_TMP/audit.jsonl" <<EOF || status=$?
import json, os, platform, statistics, subprocess, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
def run(*cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (p.stdout + p.stderr).strip()
    except OSError as e:
        return f"unavailable: {e}"
def median(phase, key):
    return statistics.median(r[key] for r in runs if r["phase"] == phase)
reasons = {}
try:
    for line in open(sys.argv[3]):
        event = json.loads(line)
        if event.get("event.action") == "user.sign_in" and event.get("event.outcome") == "failure":
            reasons[event.get("event.reason")] = reasons.get(event.get("event.reason"), 0) + 1
except FileNotFoundError:
    pass
alone, flooded = median("alone", "p99_ms"), median("flooded", "p99_ms")
# No request at all during the flood means an unbounded p99: recorded as null, and the target is missed.
starved = any(r["requests"] == 0 for r in runs if r["phase"] == "flooded")
if starved:
    flooded = None
ratio = None if starved else flooded / alone
met = ratio is not None and ratio <= $TARGET_RATIO
user_errors = sum(r["non_2xx_3xx"] + sum(r["socket_errors"].values()) for r in runs if r["phase"] != "flood")
result = {
    "timestamp_utc": "$STAMP",
    "host": {"cpus": os.cpu_count(), "kernel": platform.release(), "machine": platform.machine()},
    "versions": {"wrk": run("wrk", "-v").splitlines()[0], "java": run("java", "-version").splitlines()[0],
                 "git_commit": run("git", "-C", "$REPO_ROOT", "rev-parse", "HEAD")},
    "settings": {"duration_s": $DURATION, "warmup_s": $WARMUP, "rounds": $ROUNDS,
                 "user": {"threads": $USER_THREADS, "connections": $USER_CONNECTIONS, "path": "/1k.bin"},
                 "flood": {"threads": $FLOOD_THREADS, "connections": $FLOOD_CONNECTIONS, "lead_s": $FLOOD_LEAD},
                 "password_hash": "Argon2id production defaults (./portcullis hash-password)",
                 "lockout": "max_failures 100, max_consecutive_failures 100, address_max_failures 1000",
                 "tls": "self-signed P-256, TLS on the listener; upstream nginx over plain HTTP",
                 "portcullis_java_opts": os.environ.get("PORTCULLIS_JAVA_OPTS", "")},
    "runs": runs,
    "sign_in_failures_by_reason": reasons,
    "user_p99_ms": {"alone": alone, "flooded": flooded},
    "user_p50_ms": {"alone": median("alone", "p50_ms"), "flooded": median("flooded", "p50_ms")},
    "user_rps": {"alone": median("alone", "rps"), "flooded": median("flooded", "rps")},
    "p99_ratio": ratio,
    "user_requests": {"alone": sum(r["requests"] for r in runs if r["phase"] == "alone"),
                      "flooded": sum(r["requests"] for r in runs if r["phase"] == "flooded")},
    "target": {"p99_ratio_at_most": $TARGET_RATIO, "met": met},
    "valid": user_errors == 0,
}
with open(sys.argv[2], "w") as f:
    json.dump(result, f, indent=2)
print(f"signed-in user p99 alone   {alone:8.2f} ms   ({result['user_rps']['alone']:.0f} req/s)")
if starved:
    print(f"signed-in user p99 flooded  unbounded: no request of the user completed during the flood")
else:
    print(f"signed-in user p99 flooded {flooded:8.2f} ms   ({result['user_rps']['flooded']:.0f} req/s)")
for r in runs:
    if r["phase"] == "flood":
        print(f"flood round {r['round']}: {r['requests']} sign-in POSTs ({r['rps']:.0f}/s), statuses {r.get('statuses', {})}")
print(f"password checks that failed, by reason: {reasons}")
print(f"p99 ratio {'unbounded' if ratio is None else format(ratio, '.2f') + 'x'} (want <= {$TARGET_RATIO}x): "
      f"{'met' if met else 'NOT met'}")
if user_errors:
    print(f"the signed-in user saw {user_errors} errors: the figures are not valid")
sys.exit(0 if user_errors == 0 else 2)
EOF
log "wrote $OUT"
exit "$status"
