#!/usr/bin/env python3
"""Shares of a gateway's event-loop CPU samples by area, from an async-profiler collapsed-stack file.

Take the profile with async-profiler (Maven Central: tools.profiler:async-profiler:4.2:jar:linux-x64; unzip it and
use linux-x64/libasyncProfiler.so) on a gateway under wrk load, then summarise it:

    java -agentpath:/path/libasyncProfiler.so=start,event=cpu,interval=1000000,file=gw.collapsed,collapsed \\
         -jar gateway-core/target/portcullis.jar run --config portcullis.yaml
    python3 bench/profile-areas.py gw.collapsed

Each sample on an event loop counts once: in the kernel (or a system call's libc wrapper), else in the innermost
frame that belongs to one of the areas below, else in Netty's loop and pipeline. Samples on other threads (the JIT
compiler, GC, the access-log and audit writers) are counted apart, since they include the JVM's warm-up.
"""
import collections
import sys

AREAS = [
    ('TLS records (SslHandler, BoringSSL)', ['io/netty/handler/ssl/']),
    ('HTTP/1 parse (strict decoders)', ['org/portcullis/http1/']),
    ('HTTP/1 encode (Netty encoders)', ['io/netty/handler/codec/http/HttpObjectEncoder']),
    ('session (cookie, cache, resolver)', ['org/portcullis/session/', 'org/portcullis/signin/SessionResolver',
                                           'org/portcullis/admission/SessionStage']),
    ('identity headers and JWT', ['org/portcullis/admission/IdentityStage', 'org/portcullis/upstream/']),
    ('canonical request (ingress)', ['org/portcullis/ingress/']),
    ('policy and routing', ['org/portcullis/policy/', 'org/portcullis/admission/PolicyStage',
                            'org/portcullis/admission/DestinationStage', 'org/portcullis/route/']),
    ('metrics, access log, audit', ['org/portcullis/ops/', 'org/portcullis/accesslog/',
                                    'org/portcullis/proxy/RequestJournal', 'org/portcullis/audit/']),
    ('relay (exchange, pool, clocks)', ['org/portcullis/proxy/', 'org/portcullis/pool/']),
]
SYSCALL_WRAPPERS = {'recv', '__libc_recv', 'writev', '__GI___writev', '__send', '__GI___send', 'epoll_pwait2'}


def main(path):
    total = loop = 0
    areas = collections.Counter()
    with open(path) as stacks:
        for line in stacks:
            stack, _, count = line.rstrip().rpartition(' ')
            count = int(count)
            total += count
            if 'SingleThreadIoEventLoop.run' not in stack:
                continue
            loop += count
            frames = stack.split(';')
            if frames[-1].endswith('_[k]') or frames[-1] in SYSCALL_WRAPPERS:
                areas['kernel and system calls'] += count
                continue
            areas[innermost_area(frames)] += count
    print(f'{total} samples, {loop} on the event loops ({100 * (total - loop) / max(total, 1):.0f} % elsewhere)')
    print('| area | share of the event loops\' samples |')
    print('|---|---|')
    for area, count in areas.most_common():
        print(f'| {area} | {100 * count / max(loop, 1):.0f} % |')


def innermost_area(frames):
    for frame in reversed(frames):
        for name, prefixes in AREAS:
            if any(frame.startswith(p) for p in prefixes):
                return name
    return 'Netty event loop and pipeline'


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: profile-areas.py COLLAPSED_STACKS_FILE')
    main(sys.argv[1])
