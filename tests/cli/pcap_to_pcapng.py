#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Rewrites a little-endian classic pcap as pcapng (SHB, one IDB, one EPB per record), so
tests can feed the same frames through libpcap's pcapng reader.

Usage: pcap_to_pcapng.py IN.pcap OUT.pcapng [--far-future FRAME]...
--far-future N gives frame N (1-based) a timestamp in the year 2300, after the last instant
64-bit nanoseconds since 1970 can hold (2262-04-11)."""
import struct
import sys


def block(kind, body):
    body += b"\0" * (-len(body) % 4)
    length = 12 + len(body)
    return struct.pack("<II", kind, length) + body + struct.pack("<I", length)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    far = {int(sys.argv[i + 1]) for i, a in enumerate(sys.argv) if a == "--far-future"}
    data = open(src, "rb").read()
    magic, _, _, _, _, snaplen, link = struct.unpack_from("<IHHiIII", data, 0)
    assert magic in (0xA1B2C3D4, 0xA1B23C4D), "little-endian classic pcap expected"
    units = 1_000_000_000 if magic == 0xA1B23C4D else 1_000_000
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    # if_tsresol 9 (nanoseconds) when the source has them; the default is microseconds.
    opts = struct.pack("<HHB3x", 9, 1, 9) if units == 1_000_000_000 else b""
    out += block(1, struct.pack("<HHI", link & 0xFFFF, 0, snaplen) + opts + b"\0\0\0\0")
    off, n = 24, 0
    while off + 16 <= len(data):
        sec, frac, caplen, wire = struct.unpack_from("<IIII", data, off)
        frame = data[off + 16 : off + 16 + caplen]
        off += 16 + caplen
        n += 1
        if n in far:
            sec = 10_413_792_000  # 2300-01-01T00:00:00Z
        ts = sec * units + frac
        out += block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, caplen, wire) + frame)
    open(dst, "wb").write(out)


main()
