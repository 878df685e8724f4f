#!/usr/bin/env python3
"""Helpers for bench/cluster.sh: snapshots around each wrk run, one record per run, and the report.

Subcommands (all output on stdout):
  snapshot --cpu PART=PID ... [--admin NODE=PORT ...] --upstream-status URL
        one JSON object: CPU ticks of each part's process tree, each node's request and store counters (its admin
        listener's /metrics), and the upstream's request count (nginx stub_status)
  record --wrk-output FILE --before FILE --after FILE --round N --contender NAME --connections C --body-bytes B
        --clk-tck T
        one JSON line: wrk's figures, CPU per part, and the checks that every request was a 200 from the upstream
  report RUNS.jsonl META.json OUT.json
        print the median table with ratios to nginx-tls, write the full JSON result
"""
import argparse
import json
import os
import re
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wrkstats import cpu_ticks, median, parse_wrk  # noqa: E402  (the same CPU and wrk parsing as run.sh)

REFERENCE = "nginx-tls"
# The requests every Portcullis contender must answer: route "app", forwarded to the upstream, 200.
FORWARDED_200 = (("decision", "forwarded"), ("outcome", "FORWARDED"), ("route", "app"), ("status", "200"))
SERIES = re.compile(r'^(portcullis_requests_total|portcullis_store_operations_seconds_count)\{([^}]*)\} (\S+)$')
LABEL = re.compile(r'(\w+)="([^"]*)"')
UPSTREAM_REQUESTS = re.compile(r"^\s*\d+\s+\d+\s+(\d+)\s*$", re.MULTILINE)  # stub_status: accepts handled requests


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read().decode("utf-8", "replace")


def node_counters(port):
    """{"requests": {labels: count}, "store": {operation: count}} from a node's /metrics."""
    requests, store = {}, {}
    for line in fetch(f"http://127.0.0.1:{port}/metrics").splitlines():
        m = SERIES.match(line)
        if not m:
            continue
        labels = dict(LABEL.findall(m.group(2)))
        if m.group(1) == "portcullis_requests_total":
            requests[json.dumps(sorted(labels.items()))] = float(m.group(3))
        else:
            store[labels.get("operation", "?")] = float(m.group(3))
    return {"requests": requests, "store": store}


def tree_pids(root):
    """root and its live descendants (as wrkstats.cpu_ticks walks them)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    data = f.read().decode("ascii", "replace")
                parents[int(entry)] = int(data[data.rindex(")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                continue  # ended while we looked
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return tree


def thread_kind(name):
    """A JVM thread's job from its name (as the kernel keeps it, 15 characters): the JIT compilers, the garbage
    collector and the VM's own safepoint thread, or the rest (event loops, storage and keeper threads)."""
    if "CompilerThre" in name:
        return "jit"
    if name.startswith(("GC Thread", "G1 ", "VM Thread")):
        return "gc"
    return "work"


def kernel_ticks_and_switches(root):
    """(system ticks, context switches of every thread, ticks by thread kind) of root and its live descendants:
    where the CPU went (kernel or user; for a JVM, JIT and GC or the work itself) and how often the processes were
    woken or preempted."""
    sys_ticks = switches = 0
    kinds = {}
    for pid in tree_pids(root):
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                data = f.read().decode("ascii", "replace")
            sys_ticks += int(data[data.rindex(")") + 2:].split()[12])
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/stat", "rb") as f:
                    data = f.read().decode("ascii", "replace")
                fields = data[data.rindex(")") + 2:].split()
                kind = thread_kind(data[data.index("(") + 1:data.rindex(")")])
                kinds[kind] = kinds.get(kind, 0) + int(fields[11]) + int(fields[12])
                with open(f"/proc/{pid}/task/{tid}/status", encoding="ascii", errors="replace") as f:
                    for line in f:
                        if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                            switches += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue  # a thread or process ended while we looked
    return sys_ticks, switches, kinds


def snapshot(args):
    out = {"cpu": {}, "sys": {}, "switches": {}, "jvm_threads": {}, "nodes": {}}
    for item in args.cpu or []:
        part, pid = item.split("=")
        out["cpu"][part] = out["cpu"].get(part, 0) + cpu_ticks(int(pid))
        sys_ticks, switches, kinds = kernel_ticks_and_switches(int(pid))
        out["sys"][part] = out["sys"].get(part, 0) + sys_ticks
        out["switches"][part] = out["switches"].get(part, 0) + switches
        if part == "gateway":
            for kind, ticks in kinds.items():
                out["jvm_threads"][kind] = out["jvm_threads"].get(kind, 0) + ticks
    for item in args.admin or []:
        node, port = item.split("=")
        out["nodes"][node] = node_counters(int(port))
    m = UPSTREAM_REQUESTS.search(fetch(args.upstream_status))
    if not m:
        raise SystemExit("clusterstats: the upstream's stub_status has no request count")
    out["upstream_requests"] = int(m.group(1))
    print(json.dumps(out, sort_keys=True))


def record(args):
    with open(args.wrk_output, encoding="utf-8", errors="replace") as f:
        run = parse_wrk(f.read())
    with open(args.before, encoding="utf-8") as f:
        before = json.load(f)
    with open(args.after, encoding="utf-8") as f:
        after = json.load(f)
    requests = run["requests"]
    cpu = {part: (after["cpu"][part] - before["cpu"][part]) / args.clk_tck for part in after["cpu"]}
    run.update({
        "round": args.round, "contender": args.contender, "body_bytes": args.body_bytes,
        "cpu_seconds": cpu,
        "cpu_us_per_req": {part: s * 1e6 / requests if requests else None for part, s in cpu.items()},
        "cpu_us_per_req_total": sum(cpu.values()) * 1e6 / requests if requests else None,
        # Share of each part's CPU spent in the kernel, and its context switches per request (all threads).
        "kernel_share": {part: (after["sys"][part] - before["sys"][part]) / args.clk_tck / s if s else None
                         for part, s in cpu.items()},
        "switches_per_req": {part: (after["switches"][part] - before["switches"][part]) / requests
                             if requests else None for part in cpu},
        # The gateway JVMs' CPU per request by thread kind: JIT compilers, GC, the rest (the work itself). Threads
        # that ended between the snapshots are missing here, so the kinds may sum to less than the gateway's total.
        "gateway_us_per_req_by_thread": {kind: (after["jvm_threads"][kind] - before["jvm_threads"].get(kind, 0))
                                         / args.clk_tck * 1e6 / requests if requests else None
                                         for kind in after.get("jvm_threads", {})},
        "errors": run["non_2xx_3xx"] + sum(run["socket_errors"].values()),
    })
    problems = []
    if run["errors"]:
        problems.append(f"wrk saw {run['errors']} errors")
    # Requests a response was started for but wrk stopped reading at the end of its time are counted by the servers
    # and not by wrk: at most one per connection. Each snapshot asks the upstream's stub_status once (one request).
    slack = args.connections + 2
    upstream = after["upstream_requests"] - before["upstream_requests"]
    run["upstream_requests"] = upstream
    if not requests <= upstream <= requests + slack:
        problems.append(f"the upstream counted {upstream} requests for wrk's {requests}")
    served = {}
    for node, counters in after["nodes"].items():
        old = before["nodes"].get(node, {"requests": {}, "store": {}})
        ok, other = 0, {}
        for key, value in counters["requests"].items():
            delta = value - old["requests"].get(key, 0.0)
            if not delta:
                continue
            if tuple(tuple(p) for p in json.loads(key)) == FORWARDED_200:
                ok = delta
            else:
                other[key] = delta
        store = {op: v - old["store"].get(op, 0.0) for op, v in counters["store"].items()}
        served[node] = {"forwarded_200": int(ok), "other": other,
                        "store_reads": int(store.get("read", 0)), "store_writes": int(store.get("write", 0))}
        if other:
            problems.append(f"{node} answered something other than a forwarded 200: {other}")
    if served:
        total = sum(s["forwarded_200"] for s in served.values())
        if not requests <= total <= requests + slack:
            problems.append(f"the gateway nodes forwarded {total} requests with 200 for wrk's {requests}")
        for node, s in served.items():
            if s["forwarded_200"] == 0:
                problems.append(f"{node} served no request")
    run["nodes"] = served
    # A redirect to the portal or an error page instead of the file would also be short.
    run["short_responses_suspected"] = bool(requests) and run["bytes_read"] / requests < args.body_bytes * 0.98
    if run["short_responses_suspected"]:
        problems.append("responses shorter than the file")
    run["problems"] = problems
    print(json.dumps(run, sort_keys=True))


def report(runs_path, meta_path, out_path):
    with open(runs_path, encoding="utf-8") as f:
        runs = [json.loads(line) for line in f if line.strip()]
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
    contenders = list(dict.fromkeys(r["contender"] for r in runs))
    summary = []
    for name in contenders:
        mine = [r for r in runs if r["contender"] == name]
        parts = list(dict.fromkeys(p for r in mine for p in r["cpu_us_per_req"]))
        nodes = list(dict.fromkeys(n for r in mine for n in r["nodes"]))
        rps = [r["rps"] for r in mine]
        summary.append({
            "contender": name, "rounds": len(mine),
            "rps": median(rps), "rps_min": min(rps), "rps_max": max(rps),
            "p50_ms": median([r["p50_ms"] for r in mine]), "p99_ms": median([r["p99_ms"] for r in mine]),
            "cpu_us_per_req": median([r["cpu_us_per_req_total"] for r in mine]),
            "cpu_us_per_req_by_part": {p: median([r["cpu_us_per_req"].get(p) for r in mine]) for p in parts},
            "kernel_share_by_part": {p: median([r.get("kernel_share", {}).get(p) for r in mine]) for p in parts},
            "switches_per_req_by_part": {p: median([r.get("switches_per_req", {}).get(p) for r in mine])
                                         for p in parts},
            "gateway_us_per_req_by_thread": {k: median([r.get("gateway_us_per_req_by_thread", {}).get(k)
                                                        for r in mine]) for k in ("work", "jit", "gc")},
            "node_share": {n: median([r["nodes"][n]["forwarded_200"] / max(1, sum(
                s["forwarded_200"] for s in r["nodes"].values())) for r in mine]) for n in nodes},
            "store_reads_per_1000_req": {n: median([r["nodes"][n]["store_reads"] * 1000 / max(1, r["requests"])
                                                    for r in mine]) for n in nodes},
            "store_writes_per_run": {n: median([r["nodes"][n]["store_writes"] for r in mine]) for n in nodes},
            "problems": sum(len(r["problems"]) for r in mine),
        })
    base = next((s for s in summary if s["contender"] == REFERENCE), None)
    for s in summary:
        s["rps_ratio"] = s["rps"] / base["rps"] if base and base["rps"] else None
        s["cpu_ratio"] = (s["cpu_us_per_req"] / base["cpu_us_per_req"]
                          if base and base["cpu_us_per_req"] and s["cpu_us_per_req"] is not None else None)

    def fmt(v, spec):
        return "-" if v is None else format(v, spec)

    st = meta["settings"]
    print()
    print(f"Medians of {st['rounds']} rounds, wrk -t{st['threads']} -c{st['connections']} -d{st['duration_s']}s, "
          f"1 KiB over TLS with a signed-in session cookie (nginx-tls: no cookie); ratios to nginx-tls")
    header = (f"{'contender':<11} {'req/s':>7} {'min-max':>13} {'p50 ms':>7} {'p99 ms':>7} {'CPU us/req':>10} "
              f"{'req/s x':>7} {'CPU x':>6}  CPU us/req by part")
    print(header)
    print("-" * (len(header) + 40))
    for s in summary:
        parts = ", ".join(f"{p} {fmt(v, '.1f')}" for p, v in s["cpu_us_per_req_by_part"].items())
        print(f"{s['contender']:<11} {fmt(s['rps'], '7.0f')} {fmt(s['rps_min'], '.0f'):>6}-{fmt(s['rps_max'], '.0f'):<6} "
              f"{fmt(s['p50_ms'], '7.2f')} {fmt(s['p99_ms'], '7.2f')} {fmt(s['cpu_us_per_req'], '10.1f')} "
              f"{fmt(s['rps_ratio'], '7.2f')} {fmt(s['cpu_ratio'], '6.2f')}  {parts}")
    print()
    for s in summary:
        if s["node_share"]:
            shares = ", ".join(f"{n} {v * 100:.0f} %" for n, v in s["node_share"].items())
            reads = ", ".join(f"{n} {fmt(v, '.2f')}" for n, v in s["store_reads_per_1000_req"].items())
            writes = ", ".join(f"{n} {fmt(v, '.0f')}" for n, v in s["store_writes_per_run"].items())
            print(f"{s['contender']}: forwarded 200s by node: {shares}; store reads per 1000 requests: {reads}; "
                  f"store writes per run: {writes}")
    for s in summary:
        print(f"{s['contender']}: kernel share of CPU and context switches per request by part: " + ", ".join(
            f"{p} {fmt(s['kernel_share_by_part'][p] * 100 if s['kernel_share_by_part'][p] is not None else None, '.0f')} %"
            f" / {fmt(s['switches_per_req_by_part'][p], '.2f')}" for p in s["cpu_us_per_req_by_part"]))
    for s in summary:
        by_thread = s["gateway_us_per_req_by_thread"]
        if any(v is not None for v in by_thread.values()):
            print(f"{s['contender']}: gateway CPU us/req by JVM thread: " + ", ".join(
                f"{k} {fmt(v, '.1f')}" for k, v in by_thread.items()) + " (work: event loops and the gateway's own threads)")
            if by_thread["jit"] and s["cpu_us_per_req"] and by_thread["jit"] > 0.1 * s["cpu_us_per_req"]:
                print(f"  {s['contender']} was still compiling: the JIT took {by_thread['jit'] / s['cpu_us_per_req']:.0%} "
                      f"of its CPU per request; raise WARMUP (or ROUNDS) before reading its ratios")
    print("CPU counted: nginx-tls = its master and workers; pc-* = the gateway JVM(s), plus for the PostgreSQL "
          "contenders every PostgreSQL process of their cluster and their redis-server, plus the TCP load balancer "
          "(nginx stream) for pc-2pg-lb. Not counted: wrk and the upstream nginx (the same for every contender).")
    problems = [(r["round"], r["contender"], p) for r in runs for p in r["problems"]]
    for rnd, name, p in problems:
        print(f"INVALID round {rnd} {name}: {p}")
    if not problems:
        print("Every run checked: wrk saw no error, the upstream counted every request, and every gateway answer "
              "was a forwarded 200 (no sign-in page, no refusal)"
              + ("; each node of pc-2pg-lb served requests." if "pc-2pg-lb" in contenders else "."))
    result = {"meta": meta, "summary": summary, "runs": runs, "valid": not problems}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    return 0 if result["valid"] else 2


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot")
    snap.add_argument("--cpu", action="append")
    snap.add_argument("--admin", action="append")
    snap.add_argument("--upstream-status", required=True)
    rec = sub.add_parser("record")
    for name in ("--wrk-output", "--before", "--after", "--contender"):
        rec.add_argument(name, required=True)
    for name in ("--round", "--connections", "--body-bytes", "--clk-tck"):
        rec.add_argument(name, type=int, required=True)
    rep = sub.add_parser("report")
    rep.add_argument("runs")
    rep.add_argument("meta")
    rep.add_argument("out")
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        snapshot(args)
    elif args.command == "record":
        record(args)
    else:
        return report(args.runs, args.meta, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
