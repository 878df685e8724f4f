#!/usr/bin/env bash
# Profiles a signed-in request loop with JFR and prints where CPU and allocation go (bench/README.md,
# "Where a signed-in request spends its time"). Needs wrk, Java 17 (jfr) and python3.
#   bench/profile-signed-in.sh                 # 20 s per route, recordings in bench/results/profile
#   SECONDS_PER_ROUTE=60 OUT=/tmp/p bench/profile-signed-in.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/results/profile}
OUT=$(mkdir -p "$OUT" && cd "$OUT" && pwd)
mvn -B -q -pl gateway-core -am test -Dtest=SignedInLoopProfile -Dsurefire.failIfNoSpecifiedTests=false \
    -Dportcullis.profile="$OUT" -Dportcullis.profile.seconds="${SECONDS_PER_ROUTE:-20}"
for run in signed-in jwt; do
    echo "== $run: $(grep -m1 'Requests/sec' "$OUT/$run-wrk.txt")"
    # The gateway's event loops only: the test JVM also runs the echo upstream.
    python3 bench/jfr-summary.py "$OUT/$run.jfr" ${THREADS:-}
done
