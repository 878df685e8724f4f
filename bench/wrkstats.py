#!/usr/bin/env python3
"""Helpers for bench/run.sh: CPU time of a process tree, parsing wrk output, and the summary report.

Subcommands (all output on stdout):
  cpu PID                         clock ticks (utime+stime) used so far by PID and all its live descendants
  record --wrk-output FILE ...    one JSON line describing one wrk run (see run.sh for the options)
  report RUNS.jsonl META.json OUT.json
                                  print the median table and targets, write the full JSON result to OUT.json
"""
import argparse
import json
import os
import re
import statistics
import sys

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}
UNITS_BYTES = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}

# The two nginx proxies every run measures. "nginx-default" is the issue's reference: nginx as a reverse proxy
# (proxy_pass, keepalive upstream connections) with Debian's default proxy buffers. "nginx-tuned" adds 16k buffers,
# nginx at its best for 64 KiB bodies: the stricter comparison, reported next to it.
# "nginx-log" is nginx-default with its access log on (buffer=64k), the reference of "portcullis-log" (issue 21).
REFERENCES = ("nginx-default", "nginx-tuned", "nginx-log")

# Targets (portcullis / reference), each judged against both log-off references.
TARGETS = [
    {"size": "1k", "metric": "rps", "op": ">=", "value": 0.9, "label": "1 KiB req/s"},
    {"size": "1k", "metric": "cpu", "op": "<=", "value": 1.3, "label": "1 KiB CPU/req"},
    {"size": "64k", "metric": "rps", "op": ">=", "value": 1.2, "label": "64 KiB req/s"},
]
# Issue 21's targets with the access log on both sides: portcullis-log against nginx-log only.
LOG_TARGETS = [
    {"size": "1k", "metric": "rps", "op": ">=", "value": 0.95, "label": "log on, 1 KiB req/s"},
    {"size": "1k", "metric": "cpu", "op": "<=", "value": 1.2, "label": "log on, 1 KiB CPU/req"},
]
# (log on, log off) pairs whose CPU difference is the cost of one access-log line.
LOG_PAIRS = [("portcullis-log", "portcullis"), ("nginx-log", "nginx-default")]

# TLS contenders (issue 14), judged against nginx as a TLS reverse proxy in the same run ("nginx-tls"). Reported on
# every run; a miss never fails the script.
TLS_REFERENCE = "nginx-tls"
TLS_TARGETS = [
    {"contender": "pc-tls-session", "metric": "rps", "op": ">=", "value": 0.9, "label": "signed-in session req/s"},
    {"contender": "pc-tls-session", "metric": "cpu", "op": "<=", "value": 1.3, "label": "signed-in session CPU/req"},
    {"contender": "pc-tls-jwt", "metric": "rps", "op": ">=", "value": 0.8, "label": "jwt: true req/s"},
    {"contender": "pc-tls-bypass", "metric": "rps", "op": ">=", "value": 1.0, "label": "bypass over TLS req/s"},
]
P99_ADDED_MAX_MS = 0.3  # at one connection ("1k-c1" runs), over nginx-tls
IDLE_HEAP_MAX_MIB = 150  # extra heap for the idle keep-alive TLS connections


def stat_fields(pid):
    """(ppid, utime+stime) from /proc/PID/stat; the command name may hold spaces and ')' so split after the last ')'."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        data = f.read().decode("ascii", "replace")
    rest = data[data.rindex(")") + 2:].split()
    # rest[0] is field 3 (state); ppid is field 4, utime field 14, stime field 15 (proc(5)).
    return int(rest[1]), int(rest[11]) + int(rest[12])


def cpu_ticks(root):
    """Ticks of root plus every live descendant (nginx workers are children of the master, and a live child's
    time is not in the parent's cutime until it is reaped)."""
    parents, ticks = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid, t = stat_fields(int(entry))
            except (OSError, ValueError, IndexError):
                continue  # process ended while we looked
            parents[int(entry)] = ppid
            ticks[int(entry)] = t
    if root not in ticks:
        raise SystemExit(f"wrkstats: process {root} is not running")
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(ticks[p] for p in tree)


def to_ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text)
    if not m:
        raise ValueError(f"unparsable latency {text!r}")
    return float(m.group(1)) * UNITS_MS[m.group(2)]


def parse_wrk(text):
    def need(pattern):
        m = re.search(pattern, text, re.MULTILINE)
        if not m:
            raise SystemExit(f"wrkstats: wrk output lacks {pattern!r}:\n{text}")
        return m

    done = need(r"^\s*(\d+) requests in ([0-9.]+)(us|ms|s|m), ([0-9.]+)(B|KB|MB|GB|TB) read")
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    requests = int(done.group(1))
    return {
        "requests": requests,
        "seconds": to_ms(done.group(2) + done.group(3)) / 1000.0,
        "bytes_read": float(done.group(4)) * UNITS_BYTES[done.group(5)],
        "rps": float(need(r"^Requests/sec:\s+([0-9.]+)").group(1)),
        "p50_ms": to_ms(need(r"^\s+50%\s+(\S+)").group(1)),
        "p99_ms": to_ms(need(r"^\s+99%\s+(\S+)").group(1)),
        "socket_errors": dict(zip(("connect", "read", "write", "timeout"),
                                  (int(g) for g in sock.groups()) if sock else (0, 0, 0, 0))),
        "non_2xx_3xx": int(non2xx.group(1)) if non2xx else 0,
    }


def record(args):
    with open(args.wrk_output, encoding="utf-8", errors="replace") as f:
        run = parse_wrk(f.read())
    ticks = args.cpu_after - args.cpu_before
    run.update({
        "round": args.round,
        "contender": args.contender,
        "size": args.size,
        "body_bytes": args.body_bytes,
        "cpu_seconds": ticks / args.clk_tck,
        "cpu_us_per_req": (ticks / args.clk_tck) * 1e6 / run["requests"] if run["requests"] else None,
        "errors": run["non_2xx_3xx"] + sum(run["socket_errors"].values()),
    })
    # wrk counts a short 200 as success; a proxy answering with an error page would look fast. Every response
    # must carry at least the file's bytes. wrk prints the byte total with two decimals (0.91GB), so allow 2 % for
    # its rounding: an error page instead of the file is 50 % (1 KiB) to 99 % (64 KiB) short.
    run["short_responses_suspected"] = (bool(run["requests"])
                                        and run["bytes_read"] / run["requests"] < args.body_bytes * 0.98)
    print(json.dumps(run, sort_keys=True))


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def report(runs_path, meta_path, out_path):
    with open(runs_path, encoding="utf-8") as f:
        runs = [json.loads(line) for line in f if line.strip()]
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)

    contenders = list(dict.fromkeys(r["contender"] for r in runs))
    sizes = list(dict.fromkeys(r["size"] for r in runs))
    summary = []
    for size in sizes:
        rows = {}
        for name in contenders:
            mine = [r for r in runs if r["contender"] == name and r["size"] == size]
            if not mine:
                continue  # e.g. the plain contenders have no one-connection ("1k-c1") runs
            rps = [r["rps"] for r in mine]
            rows[name] = {
                "contender": name, "size": size, "rounds": len(mine),
                "rps": median(rps), "rps_min": min(rps), "rps_max": max(rps),
                "p50_ms": median([r["p50_ms"] for r in mine]),
                "p99_ms": median([r["p99_ms"] for r in mine]),
                "cpu_us_per_req": median([r["cpu_us_per_req"] for r in mine]),
                "errors": sum(r["errors"] for r in mine),
                "short_responses_suspected": any(r["short_responses_suspected"] for r in mine),
            }
        for row in rows.values():
            for ref in REFERENCES:
                base = rows.get(ref)
                row[f"rps_ratio_{ref}"] = row["rps"] / base["rps"] if base and base["rps"] else None
                row[f"cpu_ratio_{ref}"] = (row["cpu_us_per_req"] / base["cpu_us_per_req"]
                                           if base and base["cpu_us_per_req"] and row["cpu_us_per_req"] is not None
                                           else None)
            summary.append(row)

    targets = []
    checks = [(t, "portcullis", ref) for t in TARGETS for ref in REFERENCES[:2]]
    checks += [(t, "portcullis-log", "nginx-log") for t in LOG_TARGETS]
    for t, contender, ref in checks:
        row = next((r for r in summary if r["contender"] == contender and r["size"] == t["size"]), None)
        actual = row[f"{t['metric']}_ratio_{ref}"] if row else None
        met = None if actual is None else (actual >= t["value"] if t["op"] == ">=" else actual <= t["value"])
        targets.append(dict(t, contender=contender, reference=ref, label=f"{t['label']} {contender} vs {ref}",
                            actual=actual, met=met))

    line_costs = []
    for size in sizes:
        for on, off in LOG_PAIRS:
            a = next((r for r in summary if r["contender"] == on and r["size"] == size), None)
            b = next((r for r in summary if r["contender"] == off and r["size"] == size), None)
            if a and b and a["cpu_us_per_req"] is not None and b["cpu_us_per_req"] is not None:
                line_costs.append({"size": size, "log_on": on, "log_off": off,
                                   "cpu_us_per_line": a["cpu_us_per_req"] - b["cpu_us_per_req"]})

    def fmt(v, spec):
        return "-" if v is None else format(v, spec)

    print()
    print(f"Medians of {meta['settings']['rounds']} rounds, wrk -t{meta['settings']['threads']} "
          f"-c{meta['settings']['connections']} -d{meta['settings']['duration_s']}s; "
          f"ratios against nginx-default (x def), nginx-tuned (x tuned) and nginx-log (x log, access log on)")
    header = f"{'size':<5} {'contender':<15} {'req/s':>9} {'min-max':>15} {'p50 ms':>7} {'p99 ms':>7} " \
             f"{'CPU us/req':>10} {'req/s x def':>11} {'CPU x def':>9} {'req/s x tuned':>13} {'CPU x tuned':>11} " \
             f"{'req/s x log':>11} {'CPU x log':>9} {'errors':>6}"
    print(header)
    print("-" * len(header))
    for row in summary:
        print(f"{row['size']:<5} {row['contender']:<15} {fmt(row['rps'], '9.0f')} "
              f"{fmt(row['rps_min'], '.0f'):>7}-{fmt(row['rps_max'], '.0f'):<7} "
              f"{fmt(row['p50_ms'], '7.3f')} {fmt(row['p99_ms'], '7.3f')} {fmt(row['cpu_us_per_req'], '10.1f')} "
              f"{fmt(row['rps_ratio_nginx-default'], '11.2f')} {fmt(row['cpu_ratio_nginx-default'], '9.2f')} "
              f"{fmt(row['rps_ratio_nginx-tuned'], '13.2f')} {fmt(row['cpu_ratio_nginx-tuned'], '11.2f')} "
              f"{fmt(row['rps_ratio_nginx-log'], '11.2f')} {fmt(row['cpu_ratio_nginx-log'], '9.2f')} "
              f"{row['errors']:>6}"
              + ("  SHORT RESPONSES?" if row["short_responses_suspected"] else ""))
    print()
    print("CPU us/req of 'direct' is the static nginx itself; for the proxies it is the proxy process alone.")
    for c in line_costs:
        print(f"access log line, {c['size']}: {c['log_on']} - {c['log_off']} = {c['cpu_us_per_line']:.1f} us CPU/req")
    for t in targets:
        verdict = "n/a" if t["met"] is None else ("met" if t["met"] else "MISSED")
        print(f"target {t['label']}: {fmt(t['actual'], '.2f')}x (want {t['op']} {t['value']}) {verdict}")
    targets += tls_report(summary, meta)
    errors = sum(r["errors"] for r in runs)
    short = any(r["short_responses_suspected"] for r in runs)
    if errors:
        print(f"ERRORS: {errors} non-2xx/3xx responses or socket errors; the numbers above are not valid.")
    if short:
        print("ERRORS: some responses were shorter than the file served; a contender answered with something else.")

    result = {"meta": meta, "summary": summary, "targets": targets, "access_log_line_cost": line_costs,
              "runs": runs,
              "valid": errors == 0 and not short}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    return 0 if result["valid"] else 2


def tls_report(summary, meta):
    """Prints the TLS contenders against nginx-tls (req/s and CPU at wrk's concurrency, p99 at one connection) and
    the idle-connection heap, and returns the TLS targets with their verdicts."""
    rows = {(r["contender"], r["size"]): r for r in summary}
    reference = rows.get((TLS_REFERENCE, "1k"))
    if reference is None:
        return []

    def ratio(a, b):
        return a / b if a is not None and b else None

    def fmt(v, spec):
        return "-" if v is None else format(v, spec)

    ref_c1 = rows.get((TLS_REFERENCE, "1k-c1"))
    print()
    print(f"TLS, 1 KiB, against {TLS_REFERENCE} (TLS provider in use: "
          f"{meta['settings'].get('portcullis_tls_provider_in_use') or '?'}, "
          f"server.tls_provider: {meta['settings'].get('portcullis_tls_provider')})")
    header = f"{'contender':<15} {'req/s':>8} {'CPU us/req':>10} {'req/s x':>8} {'CPU x':>6} " \
             f"{'p50 ms c1':>9} {'p99 ms c1':>9} {'p99 added ms':>12}"
    print(header)
    print("-" * len(header))
    for name in ("nginx-tls", "pc-tls-bypass", "pc-tls-session", "pc-tls-jwt"):
        row = rows.get((name, "1k"))
        if row is None:
            continue
        row["rps_ratio_nginx-tls"] = ratio(row["rps"], reference["rps"])
        row["cpu_ratio_nginx-tls"] = ratio(row["cpu_us_per_req"], reference["cpu_us_per_req"])
        c1 = rows.get((name, "1k-c1"))
        p99 = c1["p99_ms"] if c1 else None
        row["p50_c1_ms"] = c1["p50_ms"] if c1 else None
        row["p99_c1_ms"] = p99
        row["p99_c1_added_ms"] = p99 - ref_c1["p99_ms"] if p99 is not None and ref_c1 else None
        print(f"{name:<15} {fmt(row['rps'], '8.0f')} {fmt(row['cpu_us_per_req'], '10.1f')} "
              f"{fmt(row['rps_ratio_nginx-tls'], '8.2f')} {fmt(row['cpu_ratio_nginx-tls'], '6.2f')} "
              f"{fmt(row['p50_c1_ms'], '9.3f')} {fmt(p99, '9.3f')} {fmt(row['p99_c1_added_ms'], '12.3f')}")

    targets = []
    for t in TLS_TARGETS:
        row = rows.get((t["contender"], "1k"))
        actual = row.get(f"{t['metric']}_ratio_nginx-tls") if row else None
        met = None if actual is None else (actual >= t["value"] if t["op"] == ">=" else actual <= t["value"])
        targets.append(dict(t, size="1k", reference=TLS_REFERENCE, label=f"{t['label']} vs {TLS_REFERENCE}",
                            actual=actual, met=met))
    for name in ("pc-tls-bypass", "pc-tls-session", "pc-tls-jwt"):
        row = rows.get((name, "1k"))
        actual = row.get("p99_c1_added_ms") if row else None
        targets.append({"contender": name, "metric": "p99_added_ms", "op": "<=", "value": P99_ADDED_MAX_MS,
                        "size": "1k-c1", "reference": TLS_REFERENCE, "actual": actual,
                        "met": None if actual is None else actual <= P99_ADDED_MAX_MS,
                        "label": f"{name} p99 added at 1 connection (ms) vs {TLS_REFERENCE}"})
    idle = meta.get("idle_tls")
    if idle:
        extra_mib = (idle["heap_after_kib"] - idle["heap_before_kib"]) / 1024
        print(f"{idle['connections']} idle keep-alive TLS connections: heap after full GC "
              f"{idle['heap_before_kib'] / 1024:.1f} -> {idle['heap_after_kib'] / 1024:.1f} MiB "
              f"(+{extra_mib:.1f} MiB), RSS {idle['rss_before_kib'] / 1024:.1f} -> {idle['rss_after_kib'] / 1024:.1f} MiB "
              f"(+{(idle['rss_after_kib'] - idle['rss_before_kib']) / 1024:.1f} MiB)")
        targets.append({"contender": "portcullis-tls", "metric": "idle_heap_mib", "op": "<", "value": IDLE_HEAP_MAX_MIB,
                        "size": "idle", "reference": None, "actual": extra_mib, "met": extra_mib < IDLE_HEAP_MAX_MIB,
                        "label": f"extra heap for {idle['connections']} idle TLS connections (MiB)"})
    for t in targets:
        verdict = "n/a" if t["met"] is None else ("met" if t["met"] else "MISSED")
        unit = "" if t["metric"] in ("p99_added_ms", "idle_heap_mib") else "x"
        print(f"target {t['label']}: {fmt(t['actual'], '.2f')}{unit} (want {t['op']} {t['value']}) {verdict}")
    return targets


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    cpu = sub.add_parser("cpu")
    cpu.add_argument("pid", type=int)
    rec = sub.add_parser("record")
    rec.add_argument("--wrk-output", required=True)
    rec.add_argument("--round", type=int, required=True)
    rec.add_argument("--contender", required=True)
    rec.add_argument("--size", required=True)
    rec.add_argument("--body-bytes", type=int, required=True)
    rec.add_argument("--cpu-before", type=int, required=True)
    rec.add_argument("--cpu-after", type=int, required=True)
    rec.add_argument("--clk-tck", type=int, required=True)
    rep = sub.add_parser("report")
    rep.add_argument("runs")
    rep.add_argument("meta")
    rep.add_argument("out")
    args = parser.parse_args(argv)
    if args.command == "cpu":
        print(cpu_ticks(args.pid))
        return 0
    if args.command == "record":
        record(args)
        return 0
    return report(args.runs, args.meta, args.out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
