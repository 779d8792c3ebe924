# Generates tests/core/wire/decode_fixtures.hpp: commented byte arrays, checksums computed here
# (independently of the C++ decoder).
import struct, ipaddress

def csum(data):
    if len(data) % 2: data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data)//2), data))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

class F:
    def __init__(s): s.parts = []
    def add(s, b, c): s.parts.append((bytes(b), c)); return s
    def bytes(s): return b''.join(p for p, _ in s.parts)

def ip4(a): return ipaddress.IPv4Address(a).packed
def ip6(a): return ipaddress.IPv6Address(a).packed

def tcp_parts(sport, dport, seq, ack, flags, win, opts, payload, pseudo, urg=0, fixcsum=True, doff=None):
    hl = 20 + len(opts)
    if doff is None: doff = hl // 4
    hdr = struct.pack('!HHIIHHHH', sport, dport, seq, ack, (doff << 12) | flags, win, 0, urg) + opts
    seg = hdr + payload
    c = csum(pseudo(len(seg)) + seg) if fixcsum else 0
    p = []
    p.append((struct.pack('!H', sport), 'TCP source port %d' % sport))
    p.append((struct.pack('!H', dport), 'TCP destination port %d' % dport))
    p.append((struct.pack('!I', seq), 'sequence number 0x%08x' % seq))
    p.append((struct.pack('!I', ack), 'ack number 0x%08x' % ack))
    p.append((struct.pack('!H', (doff << 12) | flags), 'data offset %d (%d bytes), flags 0x%03x' % (doff, doff*4, flags)))
    p.append((struct.pack('!H', win), 'window %d' % win))
    p.append((struct.pack('!H', c), 'TCP checksum 0x%04x' % c))
    p.append((struct.pack('!H', urg), 'urgent pointer %d' % urg))
    return p, opts, payload

def add_tcp(f, tp, opt_parts, payload):
    for b, c in tp[0]: f.add(b, c)
    for b, c in opt_parts: f.add(b, c)
    if payload: f.add(payload, 'payload %r (%d bytes)' % (payload.decode('latin1'), len(payload)))

def pseudo4(src, dst, proto=6):
    return lambda n: ip4(src) + ip4(dst) + struct.pack('!BBH', 0, proto, n)
def pseudo6(src, dst, proto=6):
    return lambda n: ip6(src) + ip6(dst) + struct.pack('!IxxxB', n, proto)

def ipv4_parts(src, dst, total, ident, flags_frag, ttl, proto, options=b'', opt_comment='', tos=0, total_field=None):
    ihl = 5 + len(options)//4
    tf = total if total_field is None else total_field
    hdr = struct.pack('!BBHHHBBH', 0x40 | ihl, tos, tf, ident, flags_frag, ttl, proto, 0) + ip4(src) + ip4(dst) + options
    c = csum(hdr)
    p = [(bytes([0x40 | ihl]), 'version 4, IHL %d (%d bytes)' % (ihl, ihl*4)),
         (bytes([tos]), 'TOS 0x%02x' % tos),
         (struct.pack('!H', tf), 'total length %d' % tf),
         (struct.pack('!H', ident), 'identification 0x%04x' % ident),
         (struct.pack('!H', flags_frag), 'flags/fragment offset 0x%04x (DF=%d MF=%d offset %d bytes)' % (flags_frag, (flags_frag>>14)&1, (flags_frag>>13)&1, (flags_frag & 0x1fff)*8)),
         (bytes([ttl]), 'TTL %d' % ttl),
         (bytes([proto]), 'protocol %d' % proto),
         (struct.pack('!H', c), 'header checksum 0x%04x' % c),
         (ip4(src), 'source %s' % src),
         (ip4(dst), 'destination %s' % dst)]
    if options: p.append((options, opt_comment))
    return p

def ipv6_parts(src, dst, plen, nh, hlim, tc=0, flow=0):
    return [(struct.pack('!I', (6 << 28) | (tc << 20) | flow), 'version 6, traffic class 0x%02x, flow label 0x%05x' % (tc, flow)),
            (struct.pack('!H', plen), 'payload length %d' % plen),
            (bytes([nh]), 'next header %d' % nh),
            (bytes([hlim]), 'hop limit %d' % hlim),
            (ip6(src), 'source %s' % src),
            (ip6(dst), 'destination %s' % dst)]

def eth(f, ethertype=None, vlans=()):
    f.add(bytes.fromhex('020000000002'), 'Ethernet destination 02:00:00:00:00:02')
    f.add(bytes.fromhex('020000000001'), 'Ethernet source 02:00:00:00:00:01')
    for tpid, tci in vlans:
        f.add(struct.pack('!H', tpid), 'TPID 0x%04x' % tpid)
        f.add(struct.pack('!H', tci), 'TCI 0x%04x: PCP %d, VLAN id %d' % (tci, tci >> 13, tci & 0xfff))
    f.add(struct.pack('!H', ethertype), 'ethertype 0x%04x' % ethertype)

def opts_syn():
    return [(b'\x02\x04\x05\xb4', 'option MSS (2), len 4, 1460'),
            (b'\x04\x02', 'option SACK permitted (4), len 2'),
            (b'\x08\x0a\x11\x22\x33\x44\x00\x00\x00\x00', 'option timestamps (8), len 10, TSval 0x11223344, TSecr 0'),
            (b'\x01', 'option NOP'),
            (b'\x03\x03\x07', 'option window scale (3), len 3, shift 7')]
def opts_ts(val, ecr):
    return [(b'\x01\x01', 'options NOP, NOP'),
            (b'\x08\x0a' + struct.pack('!II', val, ecr), 'option timestamps (8), len 10, TSval 0x%08x, TSecr 0x%08x' % (val, ecr))]

def ob(parts): return b''.join(b for b, _ in parts)

fixtures = []
def emit(name, doc, f):
    fixtures.append((name, doc, f))

# 1. Ethernet + IPv4 + TCP SYN with Linux options
S, D = '192.168.1.10', '192.168.1.20'
o = opts_syn(); f = F(); eth(f, 0x0800)
tp = tcp_parts(54321, 80, 0x01020304, 0, 0x002, 64240, ob(o), b'', pseudo4(S, D))
for b, c in ipv4_parts(S, D, 20+40, 0x1c46, 0x4000, 64, 6): f.add(b, c)
add_tcp(f, tp, o, b'')
emit('kEthIpv4Syn', 'Ethernet + IPv4 (DF) + TCP SYN with MSS, SACK-permitted, timestamps, NOP, window scale.', f)

# 2. Ethernet + IPv4 + TCP PSH|ACK with payload
o = opts_ts(0x0a0b0c0d, 0x11223344); f = F(); eth(f, 0x0800)
pl = b'hello'
tp = tcp_parts(80, 54321, 0xfffffff0, 0x01020305, 0x018, 509, ob(o), pl, pseudo4(D, S))
for b, c in ipv4_parts(D, S, 20+32+5, 0x0001, 0x4000, 63, 6, tos=0x10): f.add(b, c)
add_tcp(f, tp, o, pl)
emit('kEthIpv4Data', 'Ethernet + IPv4 + TCP PSH|ACK with timestamps and a 5-byte payload.', f)

# 3. Ethernet padded to 60 bytes: IPv4 + TCP ACK, no payload
f = F(); eth(f, 0x0800)
tp = tcp_parts(54321, 80, 0x01020305, 0xfffffff5, 0x010, 502, b'', b'', pseudo4(S, D))
for b, c in ipv4_parts(S, D, 40, 0x1c47, 0x4000, 64, 6): f.add(b, c)
add_tcp(f, tp, [], b'')
f.add(b'\0'*6, 'Ethernet padding to the 60-byte minimum (not part of the IP datagram)')
emit('kEthIpv4Padded', 'Ethernet frame padded to 60 bytes around IPv4 + bare TCP ACK.', f)

# 4. 802.1Q VLAN 100, IPv4 TCP ACK with payload 4
S2, D2 = '10.1.2.3', '10.4.5.6'
f = F(); eth(f, 0x0800, vlans=[(0x8100, (3 << 13) | 100)])
pl = b'ping'
tp = tcp_parts(40000, 443, 1000, 2000, 0x018, 1024, b'', pl, pseudo4(S2, D2))
for b, c in ipv4_parts(S2, D2, 44, 0x4242, 0x0000, 128, 6): f.add(b, c)
add_tcp(f, tp, [], pl)
emit('kVlanIpv4', 'Ethernet + 802.1Q tag (VLAN 100, PCP 3) + IPv4 + TCP PSH|ACK, 4-byte payload.', f)

# 5. QinQ 88a8 vid 200 + 8100 vid 300, IPv6 TCP ACK
S6, D6 = '2001:db8::1', '2001:db8::2'
f = F(); eth(f, 0x86dd, vlans=[(0x88a8, 200), (0x8100, 300)])
tp = tcp_parts(5000, 22, 0x80000000, 0x7fffffff, 0x010, 65535, b'', b'', pseudo6(S6, D6))
for b, c in ipv6_parts(S6, D6, 20, 6, 64): f.add(b, c)
add_tcp(f, tp, [], b'')
emit('kQinQIpv6', 'Ethernet + 802.1ad tag (VLAN 200) + 802.1Q tag (VLAN 300) + IPv6 + TCP ACK.', f)

# 6. SLL v1 IPv4 RST
f = F()
f.add(b'\x00\x00', 'SLL packet type 0 (to us)')
f.add(b'\x00\x01', 'ARPHRD_ETHER')
f.add(b'\x00\x06', 'link-layer address length 6')
f.add(bytes.fromhex('0200000000010000'), 'link-layer address, padded to 8')
f.add(b'\x08\x00', 'protocol 0x0800 (IPv4)')
tp = tcp_parts(80, 54321, 12345, 0, 0x004, 0, b'', b'', pseudo4(D, S))
for b, c in ipv4_parts(D, S, 40, 0, 0x4000, 64, 6): f.add(b, c)
add_tcp(f, tp, [], b'')
emit('kSllIpv4', 'Linux cooked v1 (16-byte header) + IPv4 + TCP RST.', f)

# 7. SLL2 IPv6 FIN|ACK payload 3
f = F()
f.add(b'\x86\xdd', 'protocol 0x86dd (IPv6)')
f.add(b'\x00\x00', 'reserved')
f.add(b'\x00\x00\x00\x02', 'interface index 2')
f.add(b'\x00\x01', 'ARPHRD_ETHER')
f.add(b'\x04', 'packet type 4 (outgoing)')
f.add(b'\x06', 'link-layer address length 6')
f.add(bytes.fromhex('0200000000010000'), 'link-layer address, padded to 8')
pl = b'bye'
tp = tcp_parts(22, 5000, 0x7fffffff, 0x80000001, 0x011, 1000, b'', pl, pseudo6(D6, S6))
for b, c in ipv6_parts(D6, S6, 23, 6, 255, tc=0xb8, flow=0x12345): f.add(b, c)
add_tcp(f, tp, [], pl)
emit('kSll2Ipv6', 'Linux cooked v2 (20-byte header) + IPv6 (traffic class 0xb8) + TCP FIN|ACK, 3-byte payload.', f)

# 8. NULL LE IPv4
L1, L2 = '127.0.0.1', '127.0.0.1'
f = F()
f.add(b'\x02\x00\x00\x00', 'BSD NULL family 2 (AF_INET), little-endian writer')
tp = tcp_parts(33000, 8080, 1, 2, 0x010, 100, b'', b'', pseudo4(L1, L2))
for b, c in ipv4_parts(L1, L2, 40, 7, 0x4000, 64, 6): f.add(b, c)
add_tcp(f, tp, [], b'')
emit('kNullLeIpv4', 'BSD NULL (AF_INET, little-endian) + IPv4 + TCP ACK.', f)

# 9. NULL BE IPv6 (macOS 30)
f = F()
f.add(b'\x00\x00\x00\x1e', 'BSD NULL family 30 (AF_INET6 on macOS), big-endian writer')
tp = tcp_parts(33001, 8080, 3, 4, 0x010, 100, b'', b'', pseudo6('::1', '::1'))
for b, c in ipv6_parts('::1', '::1', 20, 6, 64): f.add(b, c)
add_tcp(f, tp, [], b'')
emit('kNullBeIpv6', 'BSD NULL (AF_INET6 = 30, big-endian) + IPv6 + TCP ACK.', f)

# 10. LOOP IPv4
f = F()
f.add(b'\x00\x00\x00\x02', 'LOOP family 2 (AF_INET), network order')
tp = tcp_parts(33002, 8081, 5, 6, 0x018, 100, b'', b'x', pseudo4(L1, L2))
for b, c in ipv4_parts(L1, L2, 41, 8, 0x4000, 64, 6): f.add(b, c)
add_tcp(f, tp, [], b'x')
emit('kLoopIpv4', 'OpenBSD LOOP (AF_INET, network order) + IPv4 + TCP PSH|ACK, 1-byte payload.', f)

# 11. raw IPv6 with hop-by-hop + fragment (atomic) + TCP SYN|ACK MSS
A6, B6 = 'fe80::1', 'fe80::2'
f = F()
o = [(b'\x02\x04\x05\xa0', 'option MSS (2), len 4, 1440')]
tp = tcp_parts(443, 40000, 0xdeadbeef, 0x01020305, 0x012, 28800, ob(o), b'', pseudo6(A6, B6))
for b, c in ipv6_parts(A6, B6, 8 + 8 + 24, 0, 64): f.add(b, c)
f.add(b'\x2c', 'hop-by-hop: next header 44 (fragment)')
f.add(b'\x00', 'hop-by-hop: length 0 (8 bytes)')
f.add(b'\x01\x04\x00\x00\x00\x00', 'option PadN, 4 bytes of padding')
f.add(b'\x06', 'fragment: next header 6 (TCP)')
f.add(b'\x00', 'fragment: reserved')
f.add(b'\x00\x00', 'fragment: offset 0, M=0 (atomic fragment)')
f.add(b'\xca\xfe\xf0\x0d', 'fragment: identification')
add_tcp(f, tp, o, b'')
emit('kRawIpv6HopFrag', 'Raw IPv6 + hop-by-hop (PadN) + fragment header (offset 0, M=0) + TCP SYN|ACK with MSS.', f)

# 12. raw IPv4 options
f = F()
pl = b'ok'
tp = tcp_parts(1234, 80, 77, 88, 0x018, 4096, b'', pl, pseudo4(S2, D2))
for b, c in ipv4_parts(S2, D2, 24+20+2, 0x0102, 0x0000, 32, 6, options=b'\x94\x04\x00\x00', opt_comment='IPv4 option router alert (148), len 4'): f.add(b, c)
add_tcp(f, tp, [], pl)
emit('kRawIpv4Options', 'Raw IPv4 with a 4-byte router alert option (IHL 6) + TCP PSH|ACK, 2-byte payload.', f)

# 13. raw IPv4 non-first fragment
f = F()
for b, c in ipv4_parts(S2, D2, 28, 0x0a0b, 185, 64, 6): f.add(b, c)
f.add(b'middleof', 'fragment data: bytes 1480.. of the TCP segment, no TCP header')
emit('kRawIpv4NonFirstFrag', 'Raw IPv4 fragment at offset 1480 of a TCP datagram (no TCP header).', f)

# 14. TSO: total length 0
f = F()
pl = b'0123456789'
tp = tcp_parts(50000, 80, 100, 200, 0x018, 2048, b'', pl, pseudo4(S, D), fixcsum=False)
for b, c in ipv4_parts(S, D, 50, 0x1111, 0x4000, 64, 6, total_field=0): f.add(b, c)
add_tcp(f, tp, [], pl)
emit('kRawIpv4Tso', 'Raw IPv4 with total length 0 (TSO capture) + TCP PSH|ACK, 10-byte payload.', f)

# 15. AE flag
f = F()
tp = tcp_parts(50001, 80, 300, 0, 0x1c2, 65535, b'', b'', pseudo4(S, D))
for b, c in ipv4_parts(S, D, 40, 0x2222, 0x4000, 64, 6, tos=0x02): f.add(b, c)
add_tcp(f, tp, [], b'')
emit('kRawIpv4AeSyn', 'Raw IPv4 (ECT(0)) + TCP SYN with AE, CWR and ECE set (accurate ECN setup).', f)

# 16. ICMP unreachable quoting IPv4+TCP
R = '192.168.1.1'
f = F(); eth(f, 0x0800)
quoted_ip = ipv4_parts(S, D, 60, 0x1c46, 0x4000, 63, 6)
quoted_tcp = [(struct.pack('!H', 54321), 'quoted TCP source port 54321'),
              (struct.pack('!H', 80), 'quoted TCP destination port 80'),
              (struct.pack('!I', 0x01020304), 'quoted TCP sequence number 0x01020304')]
body = ob(quoted_ip) + ob(quoted_tcp)
icmp = b'\x03\x04\x00\x00' + struct.pack('!HH', 0, 1400) + body
ic = csum(icmp)
for b, c in ipv4_parts(R, S, 20+8+28, 0x3333, 0x0000, 255, 1, tos=0xc0): f.add(b, c)
f.add(b'\x03', 'ICMP type 3 (destination unreachable)')
f.add(b'\x04', 'ICMP code 4 (fragmentation needed)')
f.add(struct.pack('!H', ic), 'ICMP checksum 0x%04x' % ic)
f.add(struct.pack('!HH', 0, 1400), 'unused, next-hop MTU 1400')
for b, c in quoted_ip: f.add(b, 'quoted IPv4: ' + c)
for b, c in quoted_tcp: f.add(b, c)
emit('kEthIcmpUnreach', 'Ethernet + IPv4 + ICMP destination unreachable (fragmentation needed) quoting IPv4 + 8 bytes of TCP.', f)

# 17. ICMPv6 unreachable quoting IPv6+TCP
RT = '2001:db8::ff'
f = F()
quoted_ip = ipv6_parts(S6, D6, 20, 6, 63)
quoted_tcp = [(struct.pack('!H', 5000), 'quoted TCP source port 5000'),
              (struct.pack('!H', 22), 'quoted TCP destination port 22'),
              (struct.pack('!I', 0x80000000), 'quoted TCP sequence number 0x80000000'),
              (struct.pack('!I', 0), 'quoted TCP ack number 0')]
msg = b'\x01\x01\x00\x00\x00\x00\x00\x00' + ob(quoted_ip) + ob(quoted_tcp)
ic = csum(pseudo6(RT, S6, 58)(len(msg)) + msg)
for b, c in ipv6_parts(RT, S6, len(msg), 58, 64): f.add(b, c)
f.add(b'\x01', 'ICMPv6 type 1 (destination unreachable)')
f.add(b'\x01', 'ICMPv6 code 1 (administratively prohibited)')
f.add(struct.pack('!H', ic), 'ICMPv6 checksum 0x%04x' % ic)
f.add(b'\x00\x00\x00\x00', 'unused')
for b, c in quoted_ip: f.add(b, 'quoted IPv6: ' + c)
for b, c in quoted_tcp: f.add(b, c)
emit('kRawIcmpv6Unreach', 'Raw IPv6 + ICMPv6 destination unreachable (administratively prohibited) quoting IPv6 + 12 bytes of TCP.', f)

out = ['// SPDX-License-Identifier: MIT', '#pragma once', '#include <cstdint>', '#include <vector>', '',
       '/// Hand-checked frames for the decoder tests. Checksums were computed independently of',
       '/// core (RFC 1071 in a separate script) and are spelled out so each frame can be read',
       '/// field by field.',
       'namespace tcpinspect::core::test_fixtures {', '']
for name, doc, f in fixtures:
    out.append('/// ' + doc + ' %d bytes.' % len(f.bytes()))
    out.append('inline const std::vector<uint8_t> %s = {' % name)
    for b, c in f.parts:
        hx = ', '.join('0x%02x' % x for x in b)
        # wrap long byte runs
        if len(b) > 12:
            chunks = [b[i:i+12] for i in range(0, len(b), 12)]
            out.append('    // ' + c)
            for ch in chunks: out.append('    ' + ', '.join('0x%02x' % x for x in ch) + ',')
        else:
            out.append('    %s,  // %s' % (hx, c))
    out.append('};')
    out.append('')
out.append('}  // namespace tcpinspect::core::test_fixtures')
open(__import__('os').path.join(__import__('os').path.dirname(__file__), 'decode_fixtures.hpp'), 'w').write('\n'.join(out) + '\n')
for name, doc, f in fixtures: print(name, len(f.bytes()))
