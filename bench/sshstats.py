#!/usr/bin/env python3
"""Helpers of bench/ssh-throughput.sh (standard library only).

  sshstats.py cpu PID...          CPU seconds (user + system) used so far by each PID and every live process below it,
                                  plus what their reaped children used: sshd forks a process pair per connection, and
                                  those count towards the jump host. Prints the sum.
  sshstats.py report RUNS META OUT
                                  RUNS: one JSON object per measured transfer; META: run settings and versions.
                                  Prints the table (medians per path and direction, ratios to the OpenSSH jump host)
                                  and writes the whole result to OUT. Exit status 2 when any transfer is invalid.
"""
import json
import os
import statistics
import sys

CLK_TCK = os.sysconf("SC_CLK_TCK")
REFERENCE = "openssh-jump"
PATHS = ["openssh-jump", "portcullis-jump", "portcullis-connect"]
DIRECTIONS = ["upload", "download"]


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    # The command name (field 2) may contain spaces and parentheses: split after its last ')'.
    return text[text.rindex(")") + 2:].split()


def children_map():
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(stat_fields(entry)[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    return children


def cpu_seconds(pids):
    children = children_map()
    seen, todo, ticks = set(), list(pids), 0
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            fields = stat_fields(pid)
        except OSError:
            continue  # gone meanwhile: its time is in its parent's cutime/cstime once reaped
        # fields[11..14] are utime, stime, cutime, cstime (stat fields 14-17)
        ticks += sum(int(x) for x in fields[11:15])
        todo.extend(children.get(pid, []))
    return ticks / CLK_TCK


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(a, b):
    return None if a is None or not b else a / b


def fmt(value, pattern):
    return "-" if value is None else pattern % value


def report(runs_file, meta_file, out_file):
    with open(runs_file) as f:
        runs = [json.loads(line) for line in f if line.strip()]
    with open(meta_file) as f:
        meta = json.load(f)
    valid = bool(runs) and all(r["valid"] for r in runs)
    medians = {}
    for direction in DIRECTIONS:
        for path in PATHS:
            rows = [r for r in runs if r["path"] == path and r["direction"] == direction]
            if not rows:
                continue
            medians.setdefault(direction, {})[path] = {
                "transfers": len(rows),
                "mib_per_s": median(r["mib_per_s"] for r in rows),
                "mib_per_s_min": min(r["mib_per_s"] for r in rows),
                "mib_per_s_max": max(r["mib_per_s"] for r in rows),
                "jump_cpu_s_per_100mib": median(r["jump_cpu_s_per_100mib"] for r in rows),
                "client_cpu_s_per_100mib": median(r.get("client_cpu_s_per_100mib") for r in rows),
                "setup_s": median(r.get("setup_s") for r in rows),
            }
        ref = medians.get(direction, {}).get(REFERENCE)
        for path, m in medians.get(direction, {}).items():
            m["mib_per_s_x_openssh"] = ratio(m["mib_per_s"], ref and ref["mib_per_s"])
            m["jump_cpu_x_openssh"] = ratio(m["jump_cpu_s_per_100mib"], ref and ref["jump_cpu_s_per_100mib"])

    header = ("%-9s %-19s %8s %15s %10s %14s %10s %14s %8s" %
              ("direction", "path", "MiB/s", "min-max", "x openssh", "jump CPU s", "x openssh", "connect CPU s",
               "setup s"))
    print(f"{meta['settings']['size_mib']} MiB per transfer, cipher {meta['settings']['cipher']}, "
          f"{meta['settings']['rounds']} rounds; medians; CPU seconds per 100 MiB")
    print(header)
    for direction in DIRECTIONS:
        for path in PATHS:
            m = medians.get(direction, {}).get(path)
            if not m:
                continue
            print("%-9s %-19s %8s %15s %10s %14s %10s %14s %8s" % (
                direction, path, fmt(m["mib_per_s"], "%.1f"),
                "%.0f-%.0f" % (m["mib_per_s_min"], m["mib_per_s_max"]),
                fmt(m["mib_per_s_x_openssh"], "%.2f"), fmt(m["jump_cpu_s_per_100mib"], "%.2f"),
                fmt(m["jump_cpu_x_openssh"], "%.2f"), fmt(m["client_cpu_s_per_100mib"], "%.2f"),
                fmt(m["setup_s"], "%.2f")))
    loads = meta.get("load_average", {})
    print("load average (1 min) at start %s, at end %s, on %s CPUs" % (loads.get("start"), loads.get("end"),
                                                                       meta["host"]["cpus"]))
    if not valid:
        print("NOT VALID: a transfer failed or moved the wrong number of bytes (see the runs)")
    result = dict(meta, runs=runs, medians=medians, valid=valid)
    with open(out_file, "w") as f:
        json.dump(result, f, indent=1)
    return 0 if valid else 2


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "cpu":
        print("%.3f" % cpu_seconds([int(p) for p in sys.argv[2:]]))
    elif len(sys.argv) == 5 and sys.argv[1] == "report":
        sys.exit(report(*sys.argv[2:5]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
