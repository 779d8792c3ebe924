# SPDX-License-Identifier: MIT
"""Reads the sequence numbers a sender has used so far from the growing tcpdump file, to
aim an injected segment (kernel sockets do not tell their SND.NXT). Ethernet, IPv4/IPv6,
no extension headers: only what the lab's veth capture holds."""
import ipaddress
import struct
from collections import namedtuple

Segment = namedtuple("Segment", "src dst seq ack flags win len")
FIN, SYN, RST, ACK = 0x01, 0x02, 0x04, 0x10


def tcp_segments(path):
    """Yields a Segment per TCP frame (src and dst as "ip:port" / "[ip]:port")."""
    with open(path, "rb") as f:
        data = f.read()
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack_from("<IIII", data, off)
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(frame) < 14:
            continue
        ethertype = struct.unpack_from("!H", frame, 12)[0]
        ip = frame[14:]
        if ethertype == 0x0800 and len(ip) >= 20 and ip[9] == 6:
            ihl = (ip[0] & 15) * 4
            total = struct.unpack_from("!H", ip, 2)[0]
            src, dst = str(ipaddress.IPv4Address(ip[12:16])), str(ipaddress.IPv4Address(ip[16:20]))
            tcp, tcp_len = ip[ihl:], total - ihl
            fmt = "{}:{}"
        elif ethertype == 0x86DD and len(ip) >= 40 and ip[6] == 6:
            src, dst = str(ipaddress.IPv6Address(ip[8:24])), str(ipaddress.IPv6Address(ip[24:40]))
            tcp, tcp_len = ip[40:], struct.unpack_from("!H", ip, 4)[0]
            fmt = "[{}]:{}"
        else:
            continue
        if len(tcp) < 20:
            continue
        sport, dport, seq, ack = struct.unpack_from("!HHII", tcp, 0)
        win = struct.unpack_from("!H", tcp, 14)[0]
        doff = (tcp[12] >> 4) * 4
        yield Segment(fmt.format(src, sport), fmt.format(dst, dport), seq, ack, tcp[13], win, tcp_len - doff)


def next_seq(path, src):
    """The sequence number after everything `src` has sent (SYN and FIN count one)."""
    nxt = None
    for g in tcp_segments(path):
        if g.src == src and not g.flags & RST:
            end = (g.seq + g.len + bool(g.flags & SYN) + bool(g.flags & FIN)) % 2**32
            if nxt is None or (end - nxt) % 2**32 < 2**31:
                nxt = end
    if nxt is None:
        raise RuntimeError(f"no segment from {src} captured yet")
    return nxt
