#!/usr/bin/env python3
"""Opens N keep-alive TLS connections to 127.0.0.1:PORT, sends one GET on each (so each holds a finished request and
an idle keep-alive state, as a browser tab does between clicks), then keeps them all open and idle.

Usage: idle-tls.py PORT HOST_HEADER PATH N READY_FILE
Writes "open N" to READY_FILE once every connection has its response, then holds them until it is killed. Exits 1 if fewer than N connections could be opened or answered with 2xx.
"""
import asyncio
import ssl
import sys

PARALLEL = 200  # handshakes in flight at once: enough to be quick, few enough not to trip accept backlogs


async def open_one(port, request, context, gate, held):
    async with gate:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context, server_hostname=None)
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        await reader.readexactly(length)
        if not 200 <= status < 400:
            raise RuntimeError(f"status {status}")
        held.append(writer)


async def main(port, host, path, count, ready_file):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode("ascii")
    gate = asyncio.Semaphore(PARALLEL)
    held = []
    results = await asyncio.gather(*(open_one(port, request, context, gate, held) for _ in range(count)),
                                   return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        print(f"idle-tls: {len(failures)} of {count} connections failed, first: {failures[0]!r}", file=sys.stderr)
        return 1
    with open(ready_file, "w") as f:
        f.write(f"open {len(held)}\n")
    await asyncio.Event().wait()  # hold every connection, idle, until the caller kills us
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])))
