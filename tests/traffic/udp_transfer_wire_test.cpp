// SPDX-License-Identifier: MIT
// Wire format of the UDP transfer: exact bytes per message type (CRCs computed by an
// independent bitwise Python CRC32C), round trips and rejection of bad datagrams.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "traffic/udp_transfer_crc32c.hpp"
#include "traffic/udp_transfer_wire.hpp"

namespace tcpinspect::traffic::udp {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes encode_msg(const Message& m) {
  Bytes out(kMaxControlSize);
  out.resize(encode(m, out));
  return out;
}

Bytes ascii(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

// Re-seals a modified datagram so that only the field under test is wrong.
void reseal(Bytes& d) {
  d[8] = d[9] = d[10] = d[11] = 0;
  const uint32_t crc = crc32c(d);
  for (int i = 0; i < 4; ++i)
    d[8 + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
}

TEST(UdpTransferCrc32c, KnownVectors) {
  EXPECT_EQ(crc32c(ascii("123456789")), 0xE3069283u);  // the CRC catalogue check value
  EXPECT_EQ(crc32c(Bytes{}), 0u);
  EXPECT_EQ(crc32c(Bytes(32, 0)), 0x8A9136AAu);     // RFC 3720 B.4: 32 bytes of zeros
  EXPECT_EQ(crc32c(Bytes(32, 0xFF)), 0x62A8AB43u);  // RFC 3720 B.4: 32 bytes of 0xFF
}

TEST(UdpTransferCrc32c, HardwareAndPortableAgreeAndChain) {
  Bytes data(1000);
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<uint8_t>(i * 7 + 3);
  for (size_t len : {0u, 1u, 7u, 8u, 9u, 63u, 1000u}) {
    const std::span<const uint8_t> s(data.data(), len);
    EXPECT_EQ(crc32c(s), crc32c_portable(s)) << len;
  }
  const std::span<const uint8_t> all(data);
  EXPECT_EQ(crc32c(all.subspan(333), crc32c(all.first(333))), crc32c(all));
  EXPECT_EQ(crc32c_portable(all.subspan(5), crc32c_portable(all.first(5))), crc32c(all));
}

TEST(UdpTransferWire, HelloExactBytes) {
  const Bytes expected = {0x54, 0x49,                                      // magic "TI"
                          0x02,                                            // version 2
                          0x01,                                            // type HELLO
                          0x01, 0x02, 0x03, 0x04,                          // transfer id
                          0xe2, 0xf3, 0x93, 0x10,                          // CRC32C
                          0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,  // file size 2^32 + 2
                          0x00, 0x00, 0x05, 0x78,                          // chunk size 1400
                          0x00, 0x00, 0x00, 0x40,                          // window 64
                          0x00, 0x05,                                      // name length
                          'a',  '.',  't',  'x',  't'};
  EXPECT_EQ(encode_msg(Hello{0x01020304, 4294967298ull, 1400, 64, "a.txt"}), expected);
  Message m;
  ASSERT_EQ(decode(expected, m), DecodeStatus::Ok);
  const auto& h = std::get<Hello>(m);
  EXPECT_EQ(h.transfer_id, 0x01020304u);
  EXPECT_EQ(h.file_size, 4294967298ull);
  EXPECT_EQ(h.chunk_size, 1400u);
  EXPECT_EQ(h.window, 64u);
  EXPECT_EQ(h.name, "a.txt");
}

// Version 2: the receiver's cookie follows the grant; the header still carries the
// sender's id so the sender can match the answer to its HELLO.
TEST(UdpTransferWire, HelloAckExactBytes) {
  const Bytes expected = {0x54, 0x49, 0x02, 0x02,   // magic, version 2, HELLO_ACK
                          0xa0, 0xb0, 0xc0, 0xd0,   // the sender's transfer id
                          0x1c, 0x1e, 0x39, 0xc6,   // CRC32C
                          0x00, 0x00, 0x05, 0x78,   // chunk 1400
                          0x00, 0x00, 0x00, 0x20,   // window 32
                          0x13, 0x57, 0x9b, 0xdf};  // cookie
  EXPECT_EQ(encode_msg(HelloAck{0xA0B0C0D0, 1400, 32, 0x13579BDF}), expected);
  Message m;
  ASSERT_EQ(decode(expected, m), DecodeStatus::Ok);
  EXPECT_EQ(std::get<HelloAck>(m).transfer_id, 0xA0B0C0D0u);
  EXPECT_EQ(std::get<HelloAck>(m).chunk_size, 1400u);
  EXPECT_EQ(std::get<HelloAck>(m).window, 32u);
  EXPECT_EQ(std::get<HelloAck>(m).cookie, 0x13579BDFu);
  // A version-1 HELLO_ACK (no cookie) is neither version 2 nor, resealed as 2, complete.
  Bytes short_ack(expected.begin(), expected.end() - 4);
  reseal(short_ack);
  EXPECT_EQ(decode(short_ack, m), DecodeStatus::Truncated);
}

// What a version-1 sender gets for its HELLO: an ERROR in its own version, code 7.
TEST(UdpTransferWire, LegacyHelloRecognisedAndRefusedInVersion1) {
  Bytes v1_hello = {0x54, 0x49, 0x01, 0x01, 0x01, 0x02, 0x03, 0x04, 0x0c, 0xb8, 0xee, 0x61,
                    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x05, 0x78,
                    0x00, 0x00, 0x00, 0x40, 0x00, 0x05, 'a',  '.',  't',  'x',  't'};
  Message m;
  EXPECT_EQ(decode(v1_hello, m), DecodeStatus::BadVersion);
  EXPECT_TRUE(is_legacy_hello(v1_hello));
  Bytes v1_bad_crc = v1_hello;
  v1_bad_crc[11] ^= 1;
  EXPECT_FALSE(is_legacy_hello(v1_bad_crc));
  Bytes v1_data = v1_hello;
  v1_data[3] = 3;
  reseal(v1_data);
  EXPECT_FALSE(is_legacy_hello(v1_data));                             // only a HELLO is answered
  EXPECT_FALSE(is_legacy_hello(encode_msg(Hello{1, 2, 3, 4, "x"})));  // version 2

  const std::string text = "protocol version 1 not supported, upgrade the sender";
  Bytes expected = {0x54, 0x49, 0x01, 0x07, 0x01, 0x02, 0x03, 0x04,  // v1 ERROR, HELLO's id
                    0x9d, 0xda, 0xd4, 0x51,                          // CRC32C
                    0x07,                                            // code bad request
                    0x00, 0x34};                                     // text length 52
  expected.insert(expected.end(), text.begin(), text.end());
  Bytes out(kMaxControlSize);
  out.resize(encode_legacy_error(0x01020304, ErrorCode::BadRequest, text, out));
  EXPECT_EQ(out, expected);
}

TEST(UdpTransferWire, DataExactBytesBothEncoders) {
  const Bytes expected = {0x54, 0x49, 0x02, 0x03,  // magic, version, DATA
                          0x01, 0x02, 0x03, 0x04,  // transfer id (the receiver's cookie)
                          0x0e, 0x21, 0x70, 0xf3,  // CRC32C over header and payload
                          0x00, 0x00, 0x00, 0x11,  // seq 17
                          'x',  'y',  'z'};
  const Bytes payload = ascii("xyz");
  EXPECT_EQ(encode_msg(Data{0x01020304, 17, payload}), expected);
  std::array<uint8_t, kDataHeaderSize> hdr;
  encode_data_header(0x01020304, 17, payload, hdr);
  EXPECT_EQ(Bytes(hdr.begin(), hdr.end()), Bytes(expected.begin(), expected.begin() + 16));
  Message m;
  ASSERT_EQ(decode(expected, m), DecodeStatus::Ok);
  const auto& d = std::get<Data>(m);
  EXPECT_EQ(d.seq, 17u);
  EXPECT_EQ(Bytes(d.payload.begin(), d.payload.end()), payload);
  EXPECT_EQ(d.payload.data(), expected.data() + 16);  // aliases the datagram, no copy
}

TEST(UdpTransferWire, AckExactBytes) {
  const Bytes expected = {0x54, 0x49, 0x02, 0x04,                           // magic, version, ACK
                          0x00, 0x00, 0x00, 0x01,                           // transfer id
                          0x3a, 0x8e, 0x63, 0xe0,                           // CRC32C
                          0x00, 0x00, 0x00, 0x12,                           // cumulative 18
                          0x02,                                             // two SACK ranges
                          0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x17,   // [20, 23)
                          0x00, 0x00, 0x00, 0x1e, 0x00, 0x00, 0x00, 0x1f};  // [30, 31)
  Ack a;
  a.transfer_id = 1;
  a.cumulative = 18;
  a.range_count = 2;
  a.ranges[0] = {20, 23};
  a.ranges[1] = {30, 31};
  EXPECT_EQ(encode_msg(a), expected);
  Message m;
  ASSERT_EQ(decode(expected, m), DecodeStatus::Ok);
  const auto& d = std::get<Ack>(m);
  EXPECT_EQ(d.cumulative, 18u);
  ASSERT_EQ(d.sack().size(), 2u);
  EXPECT_EQ(d.sack()[0], (SackRange{20, 23}));
  EXPECT_EQ(d.sack()[1], (SackRange{30, 31}));
}

TEST(UdpTransferWire, FinFinAckErrorExactBytes) {
  Fin fin{1, {}};
  for (uint8_t i = 0; i < 32; ++i)
    fin.sha256[i] = i;
  Bytes expected = {0x54, 0x49, 0x02, 0x05, 0x00, 0x00, 0x00, 0x01, 0x3f, 0x2f, 0xee, 0xe3};
  for (uint8_t i = 0; i < 32; ++i)
    expected.push_back(i);  // the digest, verbatim
  EXPECT_EQ(encode_msg(fin), expected);
  Message m;
  ASSERT_EQ(decode(expected, m), DecodeStatus::Ok);
  EXPECT_EQ(std::get<Fin>(m).sha256, fin.sha256);

  const Bytes fin_ack = {0x54, 0x49, 0x02, 0x06, 0xff, 0xff, 0xff, 0xff, 0x08, 0x01, 0x98, 0x06};
  EXPECT_EQ(encode_msg(FinAck{0xFFFFFFFF}), fin_ack);
  ASSERT_EQ(decode(fin_ack, m), DecodeStatus::Ok);
  EXPECT_EQ(std::get<FinAck>(m).transfer_id, 0xFFFFFFFFu);

  const Bytes error = {0x54, 0x49, 0x02, 0x07, 0x00, 0x00, 0x00, 0x07,  // ERROR, id 7
                       0x17, 0xfe, 0xd8, 0x0d,                          // CRC32C
                       0x03,                                            // code NoSpace
                       0x00, 0x09,                                      // text length
                       'd',  'i',  's',  'k',  ' ',  'f',  'u',  'l',  'l'};
  EXPECT_EQ(encode_msg(ErrorMsg{7, ErrorCode::NoSpace, "disk full"}), error);
  ASSERT_EQ(decode(error, m), DecodeStatus::Ok);
  EXPECT_EQ(std::get<ErrorMsg>(m).code, ErrorCode::NoSpace);
  EXPECT_EQ(std::get<ErrorMsg>(m).text, "disk full");
}

// Issue 12: the receiver's refusals for its limits, codes 9 and 10 (CRCs from an
// independent bitwise Python CRC32C, which reproduces the fixtures above).
TEST(UdpTransferWire, BusyAndTooLargeErrorExactBytes) {
  const Bytes busy = {0x54, 0x49, 0x02, 0x07, 0x01, 0x02, 0x03, 0x04,  // ERROR, id 0x01020304
                      0x53, 0x44, 0xc8, 0x58,                          // CRC32C
                      0x09,                                            // code Busy
                      0x00, 0x04,                                      // text length
                      'b',  'u',  's',  'y'};
  EXPECT_EQ(encode_msg(ErrorMsg{0x01020304, ErrorCode::Busy, "busy"}), busy);
  Message m;
  ASSERT_EQ(decode(busy, m), DecodeStatus::Ok);
  EXPECT_EQ(std::get<ErrorMsg>(m).code, ErrorCode::Busy);
  EXPECT_EQ(to_string(ErrorCode::Busy), "receiver busy");

  const Bytes too_large = {0x54, 0x49, 0x02, 0x07, 0x01, 0x02, 0x03, 0x04,
                           0x35, 0x4e, 0x17, 0x67, 0x0a, 0x00, 0x00};  // code 10, no text
  EXPECT_EQ(encode_msg(ErrorMsg{0x01020304, ErrorCode::TooLarge, ""}), too_large);
  ASSERT_EQ(decode(too_large, m), DecodeStatus::Ok);
  EXPECT_EQ(std::get<ErrorMsg>(m).code, ErrorCode::TooLarge);
  EXPECT_EQ(to_string(ErrorCode::TooLarge), "file too large");

  Bytes beyond = too_large;
  beyond[12] = 11;  // the first code that does not exist
  reseal(beyond);
  EXPECT_EQ(decode(beyond, m), DecodeStatus::Malformed);
}

std::vector<Bytes> all_fixtures() {
  Ack a;
  a.transfer_id = 9;
  a.cumulative = 5;
  a.range_count = 3;
  a.ranges[0] = {7, 8};
  a.ranges[1] = {10, 12};
  a.ranges[2] = {14, 20};
  const Bytes payload = ascii("payload bytes");
  return {encode_msg(Hello{1, 12345, 1400, 8, "file.bin"}),
          encode_msg(HelloAck{2, 1400, 8, 0xC0FFEE}),
          encode_msg(Data{3, 4, payload}),
          encode_msg(a),
          encode_msg(Fin{5, {}}),
          encode_msg(FinAck{6}),
          encode_msg(ErrorMsg{7, ErrorCode::BadName, "no"})};
}

TEST(UdpTransferWire, TruncationAtEveryLengthIsRejected) {
  for (const Bytes& full : all_fixtures()) {
    const bool is_data = full[3] == static_cast<uint8_t>(MessageType::Data);
    for (size_t len = 0; len < full.size(); ++len) {
      Bytes cut(full.begin(), full.begin() + len);
      Message m;
      // As received: the CRC no longer matches (or the header itself is cut).
      const DecodeStatus raw = decode(cut, m);
      EXPECT_NE(raw, DecodeStatus::Ok) << "type " << int(full[3]) << " len " << len;
      if (len < kHeaderSize) {
        EXPECT_EQ(raw, DecodeStatus::Truncated) << len;
        continue;
      }
      // Re-sealed with a valid CRC, the length checks must still catch it. (A DATA
      // datagram with a shorter payload is legitimately shorter, so only its header counts.)
      if (is_data && len >= kDataHeaderSize) continue;
      reseal(cut);
      EXPECT_EQ(decode(cut, m), DecodeStatus::Truncated)
          << "type " << int(full[3]) << " len " << len;
    }
  }
}

TEST(UdpTransferWire, EverySingleBitFlipIsRejected) {
  for (const Bytes& full : all_fixtures()) {
    for (size_t i = 0; i < full.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        Bytes g = full;
        g[i] ^= static_cast<uint8_t>(1 << bit);
        Message m;
        EXPECT_NE(decode(g, m), DecodeStatus::Ok) << "byte " << i << " bit " << bit;
      }
    }
  }
}

TEST(UdpTransferWire, ForeignWrongVersionUnknownTypeAndTrailingBytes) {
  Message m;
  EXPECT_EQ(decode(ascii("GET / HTTP/1.1\r\n"), m), DecodeStatus::Foreign);
  EXPECT_EQ(decode(Bytes{0x00}, m), DecodeStatus::Foreign);
  EXPECT_EQ(decode(Bytes{}, m), DecodeStatus::Truncated);

  for (uint8_t other : {uint8_t{1}, uint8_t{3}}) {
    Bytes v = encode_msg(FinAck{1});
    v[2] = other;
    reseal(v);
    EXPECT_EQ(decode(v, m), DecodeStatus::BadVersion) << int(other);
  }

  Bytes type9 = encode_msg(FinAck{1});
  type9[3] = 9;
  reseal(type9);
  EXPECT_EQ(decode(type9, m), DecodeStatus::UnknownType);

  Bytes trailing = encode_msg(HelloAck{1, 2, 3});
  trailing.push_back(0);
  reseal(trailing);
  EXPECT_EQ(decode(trailing, m), DecodeStatus::Malformed);

  Bytes bad_crc = encode_msg(FinAck{1});
  bad_crc[11] ^= 1;
  EXPECT_EQ(decode(bad_crc, m), DecodeStatus::BadChecksum);

  Bytes many_ranges = encode_msg(Ack{});  // cum 0, zero ranges
  many_ranges[16] = kMaxSackRanges + 1;
  reseal(many_ranges);
  EXPECT_EQ(decode(many_ranges, m), DecodeStatus::Malformed);

  Bytes bad_code = encode_msg(ErrorMsg{1, ErrorCode::Io, ""});
  bad_code[12] = 0;  // error code 0 does not exist
  reseal(bad_code);
  EXPECT_EQ(decode(bad_code, m), DecodeStatus::Malformed);
}

TEST(UdpTransferWire, EncoderRefusesOversizedFields) {
  Bytes small(kHeaderSize + 11);
  EXPECT_THROW(encode(HelloAck{1, 2, 3}, small), std::length_error);
  Ack a;
  a.range_count = kMaxSackRanges + 1;
  Bytes buf(kMaxControlSize);
  EXPECT_THROW(encode(a, buf), std::length_error);
}

}  // namespace
}  // namespace tcpinspect::traffic::udp
