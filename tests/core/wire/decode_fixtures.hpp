// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <vector>

/// Hand-checked frames for the decoder tests. Checksums were computed independently of
/// core (RFC 1071 in a separate script) and are spelled out so each frame can be read
/// field by field.
namespace tcpinspect::core::test_fixtures {

/// Ethernet + IPv4 (DF) + TCP SYN with MSS, SACK-permitted, timestamps, NOP, window scale. 74
/// bytes.
inline const std::vector<uint8_t> kEthIpv4Syn = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02,  // Ethernet destination 02:00:00:00:00:02
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // Ethernet source 02:00:00:00:00:01
    0x08, 0x00,                          // ethertype 0x0800
    0x45,                                // version 4, IHL 5 (20 bytes)
    0x00,                                // TOS 0x00
    0x00, 0x3c,                          // total length 60
    0x1c, 0x46,                          // identification 0x1c46
    0x40, 0x00,                          // flags/fragment offset 0x4000 (DF=1 MF=0 offset 0 bytes)
    0x40,                                // TTL 64
    0x06,                                // protocol 6
    0x9b, 0x07,                          // header checksum 0x9b07
    0xc0, 0xa8, 0x01, 0x0a,              // source 192.168.1.10
    0xc0, 0xa8, 0x01, 0x14,              // destination 192.168.1.20
    0xd4, 0x31,                          // TCP source port 54321
    0x00, 0x50,                          // TCP destination port 80
    0x01, 0x02, 0x03, 0x04,              // sequence number 0x01020304
    0x00, 0x00, 0x00, 0x00,              // ack number 0x00000000
    0xa0, 0x02,                          // data offset 10 (40 bytes), flags 0x002
    0xfa, 0xf0,                          // window 64240
    0xac, 0xb2,                          // TCP checksum 0xacb2
    0x00, 0x00,                          // urgent pointer 0
    0x02, 0x04, 0x05, 0xb4,              // option MSS (2), len 4, 1460
    0x04, 0x02,                          // option SACK permitted (4), len 2
    0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,
    0x00, 0x00, 0x00, 0x00,  // option timestamps (8), len 10, TSval 0x11223344, TSecr 0
    0x01,                    // option NOP
    0x03, 0x03, 0x07,        // option window scale (3), len 3, shift 7
};

/// Ethernet + IPv4 + TCP PSH|ACK with timestamps and a 5-byte payload. 71 bytes.
inline const std::vector<uint8_t> kEthIpv4Data = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02,  // Ethernet destination 02:00:00:00:00:02
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // Ethernet source 02:00:00:00:00:01
    0x08, 0x00,                          // ethertype 0x0800
    0x45,                                // version 4, IHL 5 (20 bytes)
    0x10,                                // TOS 0x10
    0x00, 0x39,                          // total length 57
    0x00, 0x01,                          // identification 0x0001
    0x40, 0x00,                          // flags/fragment offset 0x4000 (DF=1 MF=0 offset 0 bytes)
    0x3f,                                // TTL 63
    0x06,                                // protocol 6
    0xb8, 0x3f,                          // header checksum 0xb83f
    0xc0, 0xa8, 0x01, 0x14,              // source 192.168.1.20
    0xc0, 0xa8, 0x01, 0x0a,              // destination 192.168.1.10
    0x00, 0x50,                          // TCP source port 80
    0xd4, 0x31,                          // TCP destination port 54321
    0xff, 0xff, 0xff, 0xf0,              // sequence number 0xfffffff0
    0x01, 0x02, 0x03, 0x05,              // ack number 0x01020305
    0x80, 0x18,                          // data offset 8 (32 bytes), flags 0x018
    0x01, 0xfd,                          // window 509
    0x7a, 0x7a,                          // TCP checksum 0x7a7a
    0x00, 0x00,                          // urgent pointer 0
    0x01, 0x01,                          // options NOP, NOP
    0x08, 0x0a, 0x0a, 0x0b, 0x0c, 0x0d,
    0x11, 0x22, 0x33, 0x44,  // option timestamps (8), len 10, TSval 0x0a0b0c0d, TSecr 0x11223344
    0x68, 0x65, 0x6c, 0x6c, 0x6f,  // payload 'hello' (5 bytes)
};

/// Ethernet frame padded to 60 bytes around IPv4 + bare TCP ACK. 60 bytes.
inline const std::vector<uint8_t> kEthIpv4Padded = {
    0x02, 0x00, 0x00, 0x00,
    0x00, 0x02,  // Ethernet destination 02:00:00:00:00:02
    0x02, 0x00, 0x00, 0x00,
    0x00, 0x01,              // Ethernet source 02:00:00:00:00:01
    0x08, 0x00,              // ethertype 0x0800
    0x45,                    // version 4, IHL 5 (20 bytes)
    0x00,                    // TOS 0x00
    0x00, 0x28,              // total length 40
    0x1c, 0x47,              // identification 0x1c47
    0x40, 0x00,              // flags/fragment offset 0x4000 (DF=1 MF=0 offset 0 bytes)
    0x40,                    // TTL 64
    0x06,                    // protocol 6
    0x9b, 0x1a,              // header checksum 0x9b1a
    0xc0, 0xa8, 0x01, 0x0a,  // source 192.168.1.10
    0xc0, 0xa8, 0x01, 0x14,  // destination 192.168.1.20
    0xd4, 0x31,              // TCP source port 54321
    0x00, 0x50,              // TCP destination port 80
    0x01, 0x02, 0x03, 0x05,  // sequence number 0x01020305
    0xff, 0xff, 0xff, 0xf5,  // ack number 0xfffffff5
    0x50, 0x10,              // data offset 5 (20 bytes), flags 0x010
    0x01, 0xf6,              // window 502
    0x51, 0xf1,              // TCP checksum 0x51f1
    0x00, 0x00,              // urgent pointer 0
    0x00, 0x00, 0x00, 0x00,
    0x00, 0x00,  // Ethernet padding to the 60-byte minimum (not part of the IP datagram)
};

/// Ethernet + 802.1Q tag (VLAN 100, PCP 3) + IPv4 + TCP PSH|ACK, 4-byte payload. 62 bytes.
inline const std::vector<uint8_t> kVlanIpv4 = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02,  // Ethernet destination 02:00:00:00:00:02
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // Ethernet source 02:00:00:00:00:01
    0x81, 0x00,                          // TPID 0x8100
    0x60, 0x64,                          // TCI 0x6064: PCP 3, VLAN id 100
    0x08, 0x00,                          // ethertype 0x0800
    0x45,                                // version 4, IHL 5 (20 bytes)
    0x00,                                // TOS 0x00
    0x00, 0x2c,                          // total length 44
    0x42, 0x42,                          // identification 0x4242
    0x00, 0x00,                          // flags/fragment offset 0x0000 (DF=0 MF=0 offset 0 bytes)
    0x80,                                // TTL 128
    0x06,                                // protocol 6
    0xdd, 0x7c,                          // header checksum 0xdd7c
    0x0a, 0x01, 0x02, 0x03,              // source 10.1.2.3
    0x0a, 0x04, 0x05, 0x06,              // destination 10.4.5.6
    0x9c, 0x40,                          // TCP source port 40000
    0x01, 0xbb,                          // TCP destination port 443
    0x00, 0x00, 0x03, 0xe8,              // sequence number 0x000003e8
    0x00, 0x00, 0x07, 0xd0,              // ack number 0x000007d0
    0x50, 0x18,                          // data offset 5 (20 bytes), flags 0x018
    0x04, 0x00,                          // window 1024
    0x08, 0x37,                          // TCP checksum 0x0837
    0x00, 0x00,                          // urgent pointer 0
    0x70, 0x69, 0x6e, 0x67,              // payload 'ping' (4 bytes)
};

/// Ethernet + 802.1ad tag (VLAN 200) + 802.1Q tag (VLAN 300) + IPv6 + TCP ACK. 82 bytes.
inline const std::vector<uint8_t> kQinQIpv6 = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02,  // Ethernet destination 02:00:00:00:00:02
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // Ethernet source 02:00:00:00:00:01
    0x88, 0xa8,                          // TPID 0x88a8
    0x00, 0xc8,                          // TCI 0x00c8: PCP 0, VLAN id 200
    0x81, 0x00,                          // TPID 0x8100
    0x01, 0x2c,                          // TCI 0x012c: PCP 0, VLAN id 300
    0x86, 0xdd,                          // ethertype 0x86dd
    0x60, 0x00, 0x00, 0x00,              // version 6, traffic class 0x00, flow label 0x00000
    0x00, 0x14,                          // payload length 20
    0x06,                                // next header 6
    0x40,                                // hop limit 64
    // source 2001:db8::1
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    // destination 2001:db8::2
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0x13, 0x88,              // TCP source port 5000
    0x00, 0x16,              // TCP destination port 22
    0x80, 0x00, 0x00, 0x00,  // sequence number 0x80000000
    0x7f, 0xff, 0xff, 0xff,  // ack number 0x7fffffff
    0x50, 0x10,              // data offset 5 (20 bytes), flags 0x010
    0xff, 0xff,              // window 65535
    0x40, 0xc2,              // TCP checksum 0x40c2
    0x00, 0x00,              // urgent pointer 0
};

/// Linux cooked v1 (16-byte header) + IPv4 + TCP RST. 56 bytes.
inline const std::vector<uint8_t> kSllIpv4 = {
    0x00, 0x00,                                      // SLL packet type 0 (to us)
    0x00, 0x01,                                      // ARPHRD_ETHER
    0x00, 0x06,                                      // link-layer address length 6
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,  // link-layer address, padded to 8
    0x08, 0x00,                                      // protocol 0x0800 (IPv4)
    0x45,                                            // version 4, IHL 5 (20 bytes)
    0x00,                                            // TOS 0x00
    0x00, 0x28,                                      // total length 40
    0x00, 0x00,                                      // identification 0x0000
    0x40, 0x00,              // flags/fragment offset 0x4000 (DF=1 MF=0 offset 0 bytes)
    0x40,                    // TTL 64
    0x06,                    // protocol 6
    0xb7, 0x61,              // header checksum 0xb761
    0xc0, 0xa8, 0x01, 0x14,  // source 192.168.1.20
    0xc0, 0xa8, 0x01, 0x0a,  // destination 192.168.1.10
    0x00, 0x50,              // TCP source port 80
    0xd4, 0x31,              // TCP destination port 54321
    0x00, 0x00, 0x30, 0x39,  // sequence number 0x00003039
    0x00, 0x00, 0x00, 0x00,  // ack number 0x00000000
    0x50, 0x04,              // data offset 5 (20 bytes), flags 0x004
    0x00, 0x00,              // window 0
    0x27, 0xb7,              // TCP checksum 0x27b7
    0x00, 0x00,              // urgent pointer 0
};

/// Linux cooked v2 (20-byte header) + IPv6 (traffic class 0xb8) + TCP FIN|ACK, 3-byte payload. 83
/// bytes.
inline const std::vector<uint8_t> kSll2Ipv6 = {
    0x86, 0xdd,                                      // protocol 0x86dd (IPv6)
    0x00, 0x00,                                      // reserved
    0x00, 0x00, 0x00, 0x02,                          // interface index 2
    0x00, 0x01,                                      // ARPHRD_ETHER
    0x04,                                            // packet type 4 (outgoing)
    0x06,                                            // link-layer address length 6
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,  // link-layer address, padded to 8
    0x6b, 0x81, 0x23, 0x45,  // version 6, traffic class 0xb8, flow label 0x12345
    0x00, 0x17,              // payload length 23
    0x06,                    // next header 6
    0xff,                    // hop limit 255
    // source 2001:db8::2
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    // destination 2001:db8::1
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x16,              // TCP source port 22
    0x13, 0x88,              // TCP destination port 5000
    0x7f, 0xff, 0xff, 0xff,  // sequence number 0x7fffffff
    0x80, 0x00, 0x00, 0x01,  // ack number 0x80000001
    0x50, 0x11,              // data offset 5 (20 bytes), flags 0x011
    0x03, 0xe8,              // window 1000
    0x75, 0x5b,              // TCP checksum 0x755b
    0x00, 0x00,              // urgent pointer 0
    0x62, 0x79, 0x65,        // payload 'bye' (3 bytes)
};

/// BSD NULL (AF_INET, little-endian) + IPv4 + TCP ACK. 44 bytes.
inline const std::vector<uint8_t> kNullLeIpv4 = {
    0x02, 0x00, 0x00, 0x00,  // BSD NULL family 2 (AF_INET), little-endian writer
    0x45,                    // version 4, IHL 5 (20 bytes)
    0x00,                    // TOS 0x00
    0x00, 0x28,              // total length 40
    0x00, 0x07,              // identification 0x0007
    0x40, 0x00,              // flags/fragment offset 0x4000 (DF=1 MF=0 offset 0 bytes)
    0x40,                    // TTL 64
    0x06,                    // protocol 6
    0x3c, 0xc7,              // header checksum 0x3cc7
    0x7f, 0x00, 0x00, 0x01,  // source 127.0.0.1
    0x7f, 0x00, 0x00, 0x01,  // destination 127.0.0.1
    0x80, 0xe8,              // TCP source port 33000
    0x1f, 0x90,              // TCP destination port 8080
    0x00, 0x00, 0x00, 0x01,  // sequence number 0x00000001
    0x00, 0x00, 0x00, 0x02,  // ack number 0x00000002
    0x50, 0x10,              // data offset 5 (20 bytes), flags 0x010
    0x00, 0x64,              // window 100
    0x10, 0xf3,              // TCP checksum 0x10f3
    0x00, 0x00,              // urgent pointer 0
};

/// BSD NULL (AF_INET6 = 30, big-endian) + IPv6 + TCP ACK. 64 bytes.
inline const std::vector<uint8_t> kNullBeIpv6 = {
    0x00, 0x00, 0x00, 0x1e,  // BSD NULL family 30 (AF_INET6 on macOS), big-endian writer
    0x60, 0x00, 0x00, 0x00,  // version 6, traffic class 0x00, flow label 0x00000
    0x00, 0x14,              // payload length 20
    0x06,                    // next header 6
    0x40,                    // hop limit 64
    // source ::1
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    // destination ::1
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x80, 0xe9,              // TCP source port 33001
    0x1f, 0x90,              // TCP destination port 8080
    0x00, 0x00, 0x00, 0x03,  // sequence number 0x00000003
    0x00, 0x00, 0x00, 0x04,  // ack number 0x00000004
    0x50, 0x10,              // data offset 5 (20 bytes), flags 0x010
    0x00, 0x64,              // window 100
    0x0e, 0xef,              // TCP checksum 0x0eef
    0x00, 0x00,              // urgent pointer 0
};

/// OpenBSD LOOP (AF_INET, network order) + IPv4 + TCP PSH|ACK, 1-byte payload. 45 bytes.
inline const std::vector<uint8_t> kLoopIpv4 = {
    0x00, 0x00, 0x00, 0x02,  // LOOP family 2 (AF_INET), network order
    0x45,                    // version 4, IHL 5 (20 bytes)
    0x00,                    // TOS 0x00
    0x00, 0x29,              // total length 41
    0x00, 0x08,              // identification 0x0008
    0x40, 0x00,              // flags/fragment offset 0x4000 (DF=1 MF=0 offset 0 bytes)
    0x40,                    // TTL 64
    0x06,                    // protocol 6
    0x3c, 0xc5,              // header checksum 0x3cc5
    0x7f, 0x00, 0x00, 0x01,  // source 127.0.0.1
    0x7f, 0x00, 0x00, 0x01,  // destination 127.0.0.1
    0x80, 0xea,              // TCP source port 33002
    0x1f, 0x91,              // TCP destination port 8081
    0x00, 0x00, 0x00, 0x05,  // sequence number 0x00000005
    0x00, 0x00, 0x00, 0x06,  // ack number 0x00000006
    0x50, 0x18,              // data offset 5 (20 bytes), flags 0x018
    0x00, 0x64,              // window 100
    0x98, 0xde,              // TCP checksum 0x98de
    0x00, 0x00,              // urgent pointer 0
    0x78,                    // payload 'x' (1 bytes)
};

/// Raw IPv6 + hop-by-hop (PadN) + fragment header (offset 0, M=0) + TCP SYN|ACK with MSS. 80 bytes.
inline const std::vector<uint8_t> kRawIpv6HopFrag = {
    0x60, 0x00, 0x00, 0x00,  // version 6, traffic class 0x00, flow label 0x00000
    0x00, 0x28,              // payload length 40
    0x00,                    // next header 0
    0x40,                    // hop limit 64
    // source fe80::1
    0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    // destination fe80::2
    0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0x2c,                                // hop-by-hop: next header 44 (fragment)
    0x00,                                // hop-by-hop: length 0 (8 bytes)
    0x01, 0x04, 0x00, 0x00, 0x00, 0x00,  // option PadN, 4 bytes of padding
    0x06,                                // fragment: next header 6 (TCP)
    0x00,                                // fragment: reserved
    0x00, 0x00,                          // fragment: offset 0, M=0 (atomic fragment)
    0xca, 0xfe, 0xf0, 0x0d,              // fragment: identification
    0x01, 0xbb,                          // TCP source port 443
    0x9c, 0x40,                          // TCP destination port 40000
    0xde, 0xad, 0xbe, 0xef,              // sequence number 0xdeadbeef
    0x01, 0x02, 0x03, 0x05,              // ack number 0x01020305
    0x60, 0x12,                          // data offset 6 (24 bytes), flags 0x012
    0x70, 0x80,                          // window 28800
    0xeb, 0x05,                          // TCP checksum 0xeb05
    0x00, 0x00,                          // urgent pointer 0
    0x02, 0x04, 0x05, 0xa0,              // option MSS (2), len 4, 1440
};

/// Raw IPv4 with a 4-byte router alert option (IHL 6) + TCP PSH|ACK, 2-byte payload. 46 bytes.
inline const std::vector<uint8_t> kRawIpv4Options = {
    0x46,                    // version 4, IHL 6 (24 bytes)
    0x00,                    // TOS 0x00
    0x00, 0x2e,              // total length 46
    0x01, 0x02,              // identification 0x0102
    0x00, 0x00,              // flags/fragment offset 0x0000 (DF=0 MF=0 offset 0 bytes)
    0x20,                    // TTL 32
    0x06,                    // protocol 6
    0xe9, 0xb6,              // header checksum 0xe9b6
    0x0a, 0x01, 0x02, 0x03,  // source 10.1.2.3
    0x0a, 0x04, 0x05, 0x06,  // destination 10.4.5.6
    0x94, 0x04, 0x00, 0x00,  // IPv4 option router alert (148), len 4
    0x04, 0xd2,              // TCP source port 1234
    0x00, 0x50,              // TCP destination port 80
    0x00, 0x00, 0x00, 0x4d,  // sequence number 0x0000004d
    0x00, 0x00, 0x00, 0x58,  // ack number 0x00000058
    0x50, 0x18,              // data offset 5 (20 bytes), flags 0x018
    0x10, 0x00,              // window 4096
    0x0f, 0x8b,              // TCP checksum 0x0f8b
    0x00, 0x00,              // urgent pointer 0
    0x6f, 0x6b,              // payload 'ok' (2 bytes)
};

/// Raw IPv4 fragment at offset 1480 of a TCP datagram (no TCP header). 28 bytes.
inline const std::vector<uint8_t> kRawIpv4NonFirstFrag = {
    0x45,                    // version 4, IHL 5 (20 bytes)
    0x00,                    // TOS 0x00
    0x00, 0x1c,              // total length 28
    0x0a, 0x0b,              // identification 0x0a0b
    0x00, 0xb9,              // flags/fragment offset 0x00b9 (DF=0 MF=0 offset 1480 bytes)
    0x40,                    // TTL 64
    0x06,                    // protocol 6
    0x55, 0x0b,              // header checksum 0x550b
    0x0a, 0x01, 0x02, 0x03,  // source 10.1.2.3
    0x0a, 0x04, 0x05, 0x06,  // destination 10.4.5.6
    0x6d, 0x69, 0x64, 0x64,
    0x6c, 0x65, 0x6f, 0x66,  // fragment data: bytes 1480.. of the TCP segment, no TCP header
};

/// Raw IPv4 with total length 0 (TSO capture) + TCP PSH|ACK, 10-byte payload. 50 bytes.
inline const std::vector<uint8_t> kRawIpv4Tso = {
    0x45,                    // version 4, IHL 5 (20 bytes)
    0x00,                    // TOS 0x00
    0x00, 0x00,              // total length 0
    0x11, 0x11,              // identification 0x1111
    0x40, 0x00,              // flags/fragment offset 0x4000 (DF=1 MF=0 offset 0 bytes)
    0x40,                    // TTL 64
    0x06,                    // protocol 6
    0xa6, 0x78,              // header checksum 0xa678
    0xc0, 0xa8, 0x01, 0x0a,  // source 192.168.1.10
    0xc0, 0xa8, 0x01, 0x14,  // destination 192.168.1.20
    0xc3, 0x50,              // TCP source port 50000
    0x00, 0x50,              // TCP destination port 80
    0x00, 0x00, 0x00, 0x64,  // sequence number 0x00000064
    0x00, 0x00, 0x00, 0xc8,  // ack number 0x000000c8
    0x50, 0x18,              // data offset 5 (20 bytes), flags 0x018
    0x08, 0x00,              // window 2048
    0x00, 0x00,              // TCP checksum 0x0000
    0x00, 0x00,              // urgent pointer 0
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,  // payload '0123456789' (10 bytes)
};

/// Raw IPv4 (ECT(0)) + TCP SYN with AE, CWR and ECE set (accurate ECN setup). 40 bytes.
inline const std::vector<uint8_t> kRawIpv4AeSyn = {
    0x45,                    // version 4, IHL 5 (20 bytes)
    0x02,                    // TOS 0x02
    0x00, 0x28,              // total length 40
    0x22, 0x22,              // identification 0x2222
    0x40, 0x00,              // flags/fragment offset 0x4000 (DF=1 MF=0 offset 0 bytes)
    0x40,                    // TTL 64
    0x06,                    // protocol 6
    0x95, 0x3d,              // header checksum 0x953d
    0xc0, 0xa8, 0x01, 0x0a,  // source 192.168.1.10
    0xc0, 0xa8, 0x01, 0x14,  // destination 192.168.1.20
    0xc3, 0x51,              // TCP source port 50001
    0x00, 0x50,              // TCP destination port 80
    0x00, 0x00, 0x01, 0x2c,  // sequence number 0x0000012c
    0x00, 0x00, 0x00, 0x00,  // ack number 0x00000000
    0x51, 0xc2,              // data offset 5 (20 bytes), flags 0x1c2
    0xff, 0xff,              // window 65535
    0x65, 0xe6,              // TCP checksum 0x65e6
    0x00, 0x00,              // urgent pointer 0
};

/// Ethernet + IPv4 + ICMP destination unreachable (fragmentation needed) quoting IPv4 + 8 bytes of
/// TCP. 70 bytes.
inline const std::vector<uint8_t> kEthIcmpUnreach = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02,  // Ethernet destination 02:00:00:00:00:02
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // Ethernet source 02:00:00:00:00:01
    0x08, 0x00,                          // ethertype 0x0800
    0x45,                                // version 4, IHL 5 (20 bytes)
    0xc0,                                // TOS 0xc0
    0x00, 0x38,                          // total length 56
    0x33, 0x33,                          // identification 0x3333
    0x00, 0x00,                          // flags/fragment offset 0x0000 (DF=0 MF=0 offset 0 bytes)
    0xff,                                // TTL 255
    0x01,                                // protocol 1
    0x04, 0x76,                          // header checksum 0x0476
    0xc0, 0xa8, 0x01, 0x01,              // source 192.168.1.1
    0xc0, 0xa8, 0x01, 0x0a,              // destination 192.168.1.10
    0x03,                                // ICMP type 3 (destination unreachable)
    0x04,                                // ICMP code 4 (fragmentation needed)
    0x1e, 0xfc,                          // ICMP checksum 0x1efc
    0x00, 0x00, 0x05, 0x78,              // unused, next-hop MTU 1400
    0x45,                                // quoted IPv4: version 4, IHL 5 (20 bytes)
    0x00,                                // quoted IPv4: TOS 0x00
    0x00, 0x3c,                          // quoted IPv4: total length 60
    0x1c, 0x46,                          // quoted IPv4: identification 0x1c46
    0x40, 0x00,              // quoted IPv4: flags/fragment offset 0x4000 (DF=1 MF=0 offset 0 bytes)
    0x3f,                    // quoted IPv4: TTL 63
    0x06,                    // quoted IPv4: protocol 6
    0x9c, 0x07,              // quoted IPv4: header checksum 0x9c07
    0xc0, 0xa8, 0x01, 0x0a,  // quoted IPv4: source 192.168.1.10
    0xc0, 0xa8, 0x01, 0x14,  // quoted IPv4: destination 192.168.1.20
    0xd4, 0x31,              // quoted TCP source port 54321
    0x00, 0x50,              // quoted TCP destination port 80
    0x01, 0x02, 0x03, 0x04,  // quoted TCP sequence number 0x01020304
};

/// Raw IPv6 + ICMPv6 destination unreachable (administratively prohibited) quoting IPv6 + 12 bytes
/// of TCP. 100 bytes.
inline const std::vector<uint8_t> kRawIcmpv6Unreach = {
    0x60, 0x00, 0x00, 0x00,  // version 6, traffic class 0x00, flow label 0x00000
    0x00, 0x3c,              // payload length 60
    0x3a,                    // next header 58
    0x40,                    // hop limit 64
    // source 2001:db8::ff
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff,
    // destination 2001:db8::1
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x01,                    // ICMPv6 type 1 (destination unreachable)
    0x01,                    // ICMPv6 code 1 (administratively prohibited)
    0x4c, 0xaf,              // ICMPv6 checksum 0x4caf
    0x00, 0x00, 0x00, 0x00,  // unused
    0x60, 0x00, 0x00, 0x00,  // quoted IPv6: version 6, traffic class 0x00, flow label 0x00000
    0x00, 0x14,              // quoted IPv6: payload length 20
    0x06,                    // quoted IPv6: next header 6
    0x3f,                    // quoted IPv6: hop limit 63
    // quoted IPv6: source 2001:db8::1
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    // quoted IPv6: destination 2001:db8::2
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0x13, 0x88,              // quoted TCP source port 5000
    0x00, 0x16,              // quoted TCP destination port 22
    0x80, 0x00, 0x00, 0x00,  // quoted TCP sequence number 0x80000000
    0x00, 0x00, 0x00, 0x00,  // quoted TCP ack number 0
};

}  // namespace tcpinspect::core::test_fixtures
