#!/usr/bin/env bash
# Audit query benchmark: writes a trail of EVENTS sealed audit events (default 1,000,000) spread over 30 days, rotated
# daily and gzip-compressed like the gateway's own (docs/audit-log.md), then times `./portcullis audit query` over
# it on CORES cores (taskset): a full scan with filters, a one-week window, and `audit verify` of the whole chain.
#
# The trail is written by an independent implementation of the documented format (Python's hmac), so a green
# `audit verify` here also checks that docs/audit-log.md describes the chain exactly.
#
# Usage: bench/audit-query.sh            (EVENTS=1000000 CORES=2 KEEP=0)
# Needs: python3, gzip, taskset (util-linux); builds the jar through ./portcullis when needed.
set -euo pipefail

EVENTS="${EVENTS:-1000000}"
CORES="${CORES:-2}"
KEEP="${KEEP:-0}"
REPO_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
LAUNCHER="$REPO_ROOT/portcullis"

log() { printf '[audit-query] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

command -v python3 >/dev/null || die "python3 is needed"
command -v taskset >/dev/null || die "taskset (util-linux) is needed"
CPU_LIST="0-$((CORES - 1))"

BENCH_TMP="$(mktemp -d -t portcullis-audit-query.XXXXXX)"
cleanup() { [[ "$KEEP" == 1 ]] && log "kept $BENCH_TMP" || rm -rf "$BENCH_TMP"; }
trap cleanup EXIT

KEY_FILE="$BENCH_TMP/audit.key"
head -c 32 /dev/urandom | base64 >"$KEY_FILE"
cat >"$BENCH_TMP/portcullis.yaml" <<YAML
server:
  listeners:
    - address: 127.0.0.1:8080
audit:
  file: $BENCH_TMP/audit.jsonl
  key: \${file:$KEY_FILE}
  compress: true
YAML

log "writing $EVENTS events over 30 days into $BENCH_TMP"
python3 - "$EVENTS" "$BENCH_TMP" "$KEY_FILE" <<'PY'
import base64, datetime, gzip, hashlib, hmac, json, os, random, sys

events, directory, key_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
key = base64.b64decode(open(key_file).read().strip())
key_id = hashlib.sha256(key).hexdigest()[:8]
random.seed(7)
users = ["alice", "bob", "carol", "dave", "erin"] + ["user%03d" % i for i in range(200)]
hosts = ["records.example.org", "mail.example.org", "lab.example.org"]
paths = ["/patients", "/patients/search", "/admin/users", "/results/%d", "/api/v1/orders/%d"]
start = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
step = 30 * 86400 / events
previous = bytes(32)
sequence = 0
current_day, out, out_name, first_sequence = None, None, None, None

def close(last):
    if out is None:
        return
    out.close()
    if not last:
        name = "audit-%s-%012d.jsonl" % (current_day.strftime("%Y%m%d"), first_sequence)
        os.rename(out_name, os.path.join(directory, name))
        with open(os.path.join(directory, name), "rb") as f, gzip.open(os.path.join(directory, name + ".gz"), "wb", 6) as g:
            g.write(f.read())
        os.remove(os.path.join(directory, name))

for i in range(events):
    t = start + datetime.timedelta(seconds=i * step)
    day = t.date()
    file_start = day != current_day
    if file_start:
        close(False)
        current_day, first_sequence = day, sequence + 1
        out_name = os.path.join(directory, "audit.jsonl")
        out = open(out_name, "wb")
    sequence += 1
    r = random.random()
    ip = "10.%d.%d.%d" % (random.randrange(256), random.randrange(256), random.randrange(1, 255)) \
        if random.random() < 0.7 else "192.0.2.%d" % random.randrange(1, 255)
    user = random.choice(users)
    stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)
    if r < 0.15:
        outcome = "failure" if random.random() < 0.2 else "success"
        e = {"@timestamp": stamp, "event.action": "user.sign_in", "event.outcome": outcome,
             "event.reason": "wrong_password" if outcome == "failure" else "password", "user.name": user,
             "source.ip": ip, "url.domain": "login.example.org", "request.id": "%016x" % random.getrandbits(64)}
    else:
        outcome = "failure" if random.random() < 0.1 else "success"
        path = random.choice(paths)
        if "%d" in path:
            path = path % random.randrange(100000)
        e = {"@timestamp": stamp, "event.action": "access.decision", "event.outcome": outcome,
             "event.reason": "POLICY_DENY" if outcome == "failure" else "FORWARDED", "user.name": user,
             "source.ip": ip, "url.domain": random.choice(hosts), "http.request.method": "GET", "url.path": path,
             "route": "records", "rule.id": "clinicians", "session.id": "%08x" % random.getrandbits(32),
             "request.id": "%016x" % random.getrandbits(64),
             "http.response.status_code": 403 if outcome == "failure" else 200}
    e["event.sequence"] = sequence
    if file_start:
        e["chain.previous_hash"] = previous.hex()
        e["chain.key_id"] = key_id
    content = json.dumps(e, separators=(",", ":"), ensure_ascii=False).encode()[:-1]
    previous = hmac.new(key, previous + content, hashlib.sha256).digest()
    out.write(content + b',"event.hash":"' + previous.hex().encode() + b'"}\n')
close(True)
PY
du -sh "$BENCH_TMP" | awk '{print "[audit-query] trail on disk: " $1}' >&2
ls "$BENCH_TMP" | grep -c '^audit' | awk '{print "[audit-query] files: " $1}' >&2

"$LAUNCHER" --version >/dev/null  # builds the jar if needed, outside the timings

timed() {
  local label="$1"; shift
  local started ended
  started=$(date +%s.%N)
  taskset -c "$CPU_LIST" "$LAUNCHER" "$@" >"$BENCH_TMP/out.txt" 2>"$BENCH_TMP/err.txt" \
    || { cat "$BENCH_TMP/err.txt" >&2; die "$label failed"; }
  ended=$(date +%s.%N)
  printf '%-58s %6.2f s  %s\n' "$label" "$(echo "$ended - $started" | bc -l)" \
    "$(wc -l <"$BENCH_TMP/out.txt") lines out"
}

echo "== audit query over $EVENTS events, $CORES cores ($(nproc) online), JVM start included =="
timed "query --user alice --outcome failure (full scan)" audit query --config "$BENCH_TMP/portcullis.yaml" \
  --user alice --outcome failure --format json
timed "query --ip 192.0.2.0/24 --event user.sign_in (full scan)" audit query --config "$BENCH_TMP/portcullis.yaml" \
  --ip 192.0.2.0/24 --event user.sign_in --format csv
timed "query --since 2026-11-10 --until 2026-11-16 --host ... (7 days)" audit query \
  --config "$BENCH_TMP/portcullis.yaml" --since 2026-11-10 --until 2026-11-16 --host lab.example.org --format json
timed "verify (whole chain)" audit verify --config "$BENCH_TMP/portcullis.yaml"
cat "$BENCH_TMP/out.txt"
