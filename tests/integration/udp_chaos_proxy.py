#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""UDP relay that reorders and duplicates datagrams, for the UDP transfer integration test.

Datagrams from the client go to --target; replies go back to the last client seen. A
fraction (--reorder) of client datagrams is held back and released after 1-4 later ones
(or 5 ms), a fraction (--dup) of datagrams in both directions is sent twice. Runs at most
--lifetime seconds. Prints "proxy on IP:PORT" (flushed) once ready, and on exit a line
"proxy stats: forwarded=N replies=N reordered=N duplicated=N" on stderr.
"""
import argparse
import random
import select
import signal
import socket
import sys
import time


def addr(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=addr, required=True)
    ap.add_argument("--target", type=addr, required=True)
    ap.add_argument("--reorder", type=float, default=0.1)
    ap.add_argument("--dup", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lifetime", type=float, default=60)
    a = ap.parse_args()
    rng = random.Random(a.seed)

    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(a.listen)
    back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    back.connect(a.target)
    for s in (front, back):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    print("proxy on %s:%d" % front.getsockname(), flush=True)

    stats = dict(forwarded=0, replies=0, reordered=0, duplicated=0)
    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
    client = None
    held = []  # [release_after_count, deadline, datagram]
    deadline = time.monotonic() + a.lifetime

    def to_target(d):
        try:
            back.send(d)
        except OSError:
            pass  # receiver gone (ICMP unreachable): the test judges the endpoints

    while running[0] and time.monotonic() < deadline:
        ready, _, _ = select.select([front, back], [], [], 0.002)
        now = time.monotonic()
        for s in ready:
            if s is front:
                d, client = front.recvfrom(65535)
                stats["forwarded"] += 1
                if rng.random() < a.reorder:
                    held.append([rng.randint(1, 4), now + 0.005, d])
                    stats["reordered"] += 1
                else:
                    to_target(d)
                    for h in held:
                        h[0] -= 1
                if rng.random() < a.dup:
                    to_target(d)
                    stats["duplicated"] += 1
            else:
                try:
                    d = back.recv(65535)
                except OSError:
                    continue
                stats["replies"] += 1
                if client:
                    front.sendto(d, client)
                    if rng.random() < a.dup:
                        front.sendto(d, client)
                        stats["duplicated"] += 1
        keep = []
        for h in held:
            if h[0] <= 0 or now >= h[1]:
                to_target(h[2])
            else:
                keep.append(h)
        held = keep
    print("proxy stats: " + " ".join("%s=%d" % kv for kv in stats.items()), file=sys.stderr,
          flush=True)


if __name__ == "__main__":
    main()
