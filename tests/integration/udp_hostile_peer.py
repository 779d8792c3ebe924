#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A hostile udp-send peer for the load test in udp_transfer_netns.sh (issue 12).

Sends --hellos HELLOs with distinct transfer ids, each declaring --size bytes, and never
follows them with data; then --spoofers blind openings (HELLO declaring --size, then DATA
and FIN under the sender's own id without reading the answer: all a source-spoofing
attacker can do, since it never sees the receiver's cookie); then opens --holders
transfers properly (HELLO, HELLO_ACK, one DATA under the cookie) and keeps them alive with a duplicate DATA every 0.5 s without ever finishing, so
they hold receiver slots until --duration seconds have passed. Prints one line of counts.
Bounded in count and time; sends only to --target.

Wire format: docs/udp-transfer.md (version 2); CRC32C computed bit by bit here, an
implementation independent of traffic/udp_transfer_crc32c.cpp.
"""
import argparse
import random
import socket
import struct
import time


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def datagram(mtype: int, tid: int, body: bytes) -> bytes:
    head = b"TI" + bytes([2, mtype]) + struct.pack(">I", tid)
    crc = crc32c(head + b"\0\0\0\0" + body)
    return head + struct.pack(">I", crc) + body


def hello(tid: int, size: int, chunk: int, window: int, name: bytes) -> bytes:
    return datagram(1, tid, struct.pack(">QIIH", size, chunk, window, len(name)) + name)


def data(tid: int, seq: int, payload: bytes) -> bytes:
    return datagram(3, tid, struct.pack(">I", seq) + payload)


def fin(tid: int) -> bytes:
    return datagram(5, tid, bytes(32))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True, help="HOST:PORT of udp-recv")
    ap.add_argument("--hellos", type=int, default=2000)
    ap.add_argument("--holders", type=int, default=0)
    ap.add_argument("--spoofers", type=int, default=0)
    ap.add_argument("--size", type=int, default=1 << 30)
    ap.add_argument("--duration", type=float, default=10.0)
    a = ap.parse_args()
    host, port = a.target.rsplit(":", 1)
    dest = (host, int(port))
    rng = random.Random(12)
    end = time.monotonic() + min(a.duration, 120.0)

    flood = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(min(a.hellos, 100000)):
        tid = rng.getrandbits(32)
        flood.sendto(hello(tid, a.size, 1400, 64, b"flood%d.bin" % i), dest)
        if i % 200 == 199:
            time.sleep(0.005)  # bounded rate: the test is about state, not socket buffers

    spoofed = 0
    for i in range(min(a.spoofers, 1000)):
        tid = rng.getrandbits(32)
        flood.sendto(hello(tid, a.size, 1000, 4, b"spoof%d.bin" % i), dest)
        for seq in range(3):
            flood.sendto(data(tid, seq, b"s" * 1000), dest)
        flood.sendto(fin(tid), dest)
        spoofed += 1

    holders = []
    for i in range(a.holders):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(0.3)
        tid = rng.getrandbits(32)
        chunk = 1000
        for _ in range(10):
            s.sendto(hello(tid, 4 * chunk, chunk, 4, b"held%d.bin" % i), dest)
            try:
                reply = s.recv(2048)
            except socket.timeout:
                continue
            if len(reply) == 24 and reply[3] == 2:  # HELLO_ACK, version 2
                cookie = struct.unpack(">I", reply[20:24])[0]
                break
        else:
            raise SystemExit("holder %d: no HELLO_ACK" % i)
        # Everything after the HELLO_ACK carries the receiver's cookie.
        tid = cookie
        holders.append((s, tid, chunk))
        s.sendto(data(tid, 0, b"h" * chunk), dest)

    keepalives = 0
    while time.monotonic() < end:
        for s, tid, chunk in holders:
            s.sendto(data(tid, 0, b"h" * chunk), dest)
            keepalives += 1
        time.sleep(0.5)
    print("hostile peer done: hellos=%d spoofers=%d holders=%d keepalives=%d"
          % (a.hellos, spoofed, len(holders), keepalives), flush=True)


if __name__ == "__main__":
    main()
