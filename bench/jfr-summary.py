#!/usr/bin/env python3
"""Summarises a JFR recording of the gateway: where CPU samples and sampled allocations go.

Usage: jfr-summary.py RECORDING.jfr [THREAD_PREFIX ...]
Only samples of threads whose name starts with one of THREAD_PREFIX count (default: every thread). Prints
  - CPU: share of execution samples per thread group, top methods by self samples, and the share of samples
    whose stack contains each of a few markers (TLS, HTTP codec, policy, session, JWT, access log, ...);
  - allocation: sampled bytes per class and per first org.portcullis frame (who allocates).
"""
import collections
import json
import subprocess
import sys

MARKERS = [
    ("TLS (JDK SSLEngine)", ("sun.security.ssl.", "javax.net.ssl.")),
    ("crypto (AES-GCM, ECDSA, SHA)", ("com.sun.crypto.", "sun.security.ec.", "sun.security.provider.")),
    ("socket I/O (syscalls)", ("sun.nio.ch.", "io.netty.channel.epoll.Native", "io.netty.channel.unix.")),
    ("HTTP/1 parse and encode", ("org.portcullis.http1.", "io.netty.handler.codec.http.")),
    ("ingress (canonical request, headers)", ("org.portcullis.ingress.",)),
    ("admission and policy", ("org.portcullis.admission.", "org.portcullis.policy.", "org.portcullis.route.")),
    ("session lookup (cache)", ("org.portcullis.signin.SessionResolver", "org.portcullis.session.")),
    ("identity headers and JWT", ("org.portcullis.upstream.",)),
    ("upstream pool and relay", ("org.portcullis.pool.", "org.portcullis.proxy.ProxyExchange")),
    ("access log and audit", ("org.portcullis.proxy.AccessLog", "org.portcullis.audit.", "ch.qos.logback.")),
]


def frames(event):
    trace = event.get("stackTrace") or {}
    for frame in trace.get("frames", []):
        method = frame.get("method", {})
        yield method.get("type", {}).get("name", "?").replace("/", ".") + "." + method.get("name", "?")


def load(path, event_type):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", event_type, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def thread_name(event, key):
    thread = event["values"].get(key) or {}
    return thread.get("javaName") or thread.get("osName") or "?"


def group(name):
    return name.rstrip("0123456789-").rstrip("-") or name


def main():
    path = sys.argv[1]
    prefixes = tuple(sys.argv[2:])
    keep = (lambda name: name.startswith(prefixes)) if prefixes else (lambda name: True)

    samples = [e for e in load(path, "jdk.ExecutionSample") if keep(thread_name(e, "sampledThread"))]
    total = len(samples) or 1
    print(f"CPU: {len(samples)} execution samples")
    groups = collections.Counter(group(thread_name(e, "sampledThread")) for e in samples)
    for name, count in groups.most_common(6):
        print(f"  thread {name:<40} {100 * count / total:5.1f} %")
    self_time = collections.Counter(next(iter(frames(e["values"])), "?") for e in samples)
    print("  top methods (self):")
    for method, count in self_time.most_common(15):
        print(f"    {100 * count / total:5.1f} %  {method}")
    print("  samples whose stack contains (inclusive; a sample can count twice):")
    for label, needles in MARKERS:
        count = sum(1 for e in samples if any(f.startswith(needles) for f in frames(e["values"])))
        print(f"    {100 * count / total:5.1f} %  {label}")

    allocations = [e for e in load(path, "jdk.ObjectAllocationSample") if keep(thread_name(e, "eventThread"))]
    weight = sum(e["values"].get("weight", 0) for e in allocations) or 1
    print(f"allocation: {len(allocations)} samples, {weight / 1e6:.0f} MB sampled weight")
    by_class = collections.Counter()
    by_site = collections.Counter()
    for e in allocations:
        values = e["values"]
        w = values.get("weight", 0)
        by_class[(values.get("objectClass") or {}).get("name", "?").replace("/", ".")] += w
        site = next((f for f in frames(values) if f.startswith("org.portcullis.")),
                    next(iter(frames(values)), "?"))
        by_site[site] += w
    print("  top classes:")
    for name, w in by_class.most_common(12):
        print(f"    {100 * w / weight:5.1f} %  {name}")
    print("  top allocating sites (first org.portcullis frame, else top frame):")
    for name, w in by_site.most_common(15):
        print(f"    {100 * w / weight:5.1f} %  {name}")


if __name__ == "__main__":
    main()
