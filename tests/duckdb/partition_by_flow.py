#!/usr/bin/env python3
"""Splits a classic Ethernet pcap into N pcaps by flow, as a symmetric flow-hash load balancer
in front of N capture workers does (AF_PACKET fanout by hash, NIC RSS with a symmetric key,
a packet broker): both directions of a TCP connection go to the same worker, chosen by the
connection's Community ID. Frames that are not IPv4/IPv6 TCP go to worker 0.

Usage: partition_by_flow.py IN.pcap N OUT_PREFIX   (writes OUT_PREFIX0.pcap ... OUT_PREFIX{N-1}.pcap)
"""
import base64
import hashlib
import struct
import sys


def community_id(src: bytes, sport: int, dst: bytes, dport: int, proto: int = 6) -> str:
    if (src, sport) > (dst, dport):
        src, sport, dst, dport = dst, dport, src, sport
    data = (b"\0\0" + src + dst + bytes([proto, 0]) + struct.pack("!HH", sport, dport))
    return "1:" + base64.b64encode(hashlib.sha1(data).digest()).decode()


def flow_of(frame: bytes) -> str | None:
    if len(frame) < 14:
        return None
    ethertype = struct.unpack_from("!H", frame, 12)[0]
    ip = frame[14:]
    if ethertype == 0x0800 and len(ip) >= 20 and ip[9] == 6:
        ihl = (ip[0] & 15) * 4
        if len(ip) >= ihl + 4:
            sport, dport = struct.unpack_from("!HH", ip, ihl)
            return community_id(ip[12:16], sport, ip[16:20], dport)
    if ethertype == 0x86DD and len(ip) >= 44 and ip[6] == 6:
        sport, dport = struct.unpack_from("!HH", ip, 40)
        return community_id(ip[8:24], sport, ip[24:40], dport)
    return None


def main() -> int:
    src, n, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(src, "rb") as f:
        data = f.read()
    header = data[:24]
    magic = struct.unpack_from("<I", header)[0]
    if magic not in (0xA1B2C3D4, 0xA1B23C4D) or struct.unpack_from("<I", header, 20)[0] != 1:
        print(f"{src}: not a little-endian classic Ethernet pcap", file=sys.stderr)
        return 1
    outs = [open(f"{prefix}{k}.pcap", "wb") for k in range(n)]
    for out in outs:
        out.write(header)
    pos = 24
    while pos + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, pos + 8)[0]
        record = data[pos:pos + 16 + caplen]
        flow = flow_of(record[16:])
        worker = 0 if flow is None else int.from_bytes(base64.b64decode(flow[2:])[:4], "big") % n
        outs[worker].write(record)
        pos += 16 + caplen
    for out in outs:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
