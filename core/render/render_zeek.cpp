// SPDX-License-Identifier: MIT
// Zeek's conn.log (scripts/base/protocols/conn/main.zeek, Info record) in the ASCII writer's
// TSV format (src/logging/writers/ascii/Ascii.cc): tab-separated, "-" for unset fields,
// "(empty)" for empty sets, T/F for booleans, times and intervals with 6 decimals.
#include "core/render/render_zeek.hpp"

#include <openssl/sha.h>

#include <chrono>

#include "core/render/render_common.hpp"
#include "core/wire/community_id.hpp"

namespace tcpinspect::core {
namespace {

// Zeek's conn.log columns in its order, then tcpinspect's own (names that Zeek does not
// use, so a merge with a real conn.log keeps both).
constexpr std::string_view kFields =
    "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
    "orig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\t"
    "orig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\t"
    "community_id\ttcpinspect_conn\tclose\tclient_state\tserver_state\tretransmissions\t"
    "inferred";
constexpr std::string_view kTypes =
    "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\t"
    "bool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\t"
    "string\tcount\tstring\tstring\tstring\tcount\tbool";

/// Zeek's #open/#close stamp, "%Y-%m-%d-%H-%M-%S" in UTC, of a capture time.
void put_log_time(OutBuffer& out, int64_t ns) {
  using namespace std::chrono;
  const sys_seconds t{seconds{ns >= 0 ? ns / 1'000'000'000 : (ns - 999'999'999) / 1'000'000'000}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  auto two = [&](unsigned v) {
    out.put(static_cast<char>('0' + v / 10 % 10)).put(static_cast<char>('0' + v % 10));
  };
  out.put_int(static_cast<int>(ymd.year()));
  out.put('-'), two(static_cast<unsigned>(ymd.month()));
  out.put('-'), two(static_cast<unsigned>(ymd.day()));
  out.put('-'), two(static_cast<unsigned>(hms.hours().count()));
  out.put('-'), two(static_cast<unsigned>(hms.minutes().count()));
  out.put('-'), two(static_cast<unsigned>(hms.seconds().count()));
}

constexpr char kTab = '\t';
constexpr std::string_view kUnset = "-";

}  // namespace

ZeekRenderer::ZeekRenderer(const RenderOptions& options, WriteFn write)
    : options_(options), out_(std::move(write)) {}

std::string ZeekRenderer::uid(const ConnectionSummary& c) {
  const auto cid =
      community_id_v1(c.client.addr, c.client.port, c.server.addr, c.server.port, kIpProtoTcp, 0);
  std::array<uint8_t, kCommunityIdLength + 8 + 4> input{};
  size_t n = 0;
  for (char ch : cid)
    input[n++] = static_cast<uint8_t>(ch);
  const auto first = static_cast<uint64_t>(c.first_ts_ns);
  for (int shift = 56; shift >= 0; shift -= 8)
    input[n++] = static_cast<uint8_t>(first >> shift);
  for (int shift = 24; shift >= 0; shift -= 8)
    input[n++] = static_cast<uint8_t>(c.id >> shift);
  std::array<uint8_t, SHA_DIGEST_LENGTH> digest{};
  SHA1(input.data(), n, digest.data());

  // 96 bits as three 32-bit limbs, divided by 62 until zero (Zeek's uids are base62 too).
  std::array<uint32_t, 3> limbs{};
  for (size_t i = 0; i < 12; ++i)
    limbs[i / 4] = (limbs[i / 4] << 8) | digest[i];
  static constexpr char kDigits[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string reversed;
  while (limbs[0] || limbs[1] || limbs[2]) {
    uint64_t rem = 0;
    for (uint32_t& limb : limbs) {
      const uint64_t cur = (rem << 32) | limb;
      limb = static_cast<uint32_t>(cur / 62);
      rem = cur % 62;
    }
    reversed.push_back(kDigits[rem]);
  }
  return "C" + std::string(reversed.rbegin(), reversed.rend());
}

void ZeekRenderer::put_header(int64_t open_ts_ns) {
  out_.put("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n");
  out_.put("#path\tconn\n#open\t"), put_log_time(out_, open_ts_ns), out_.put('\n');
  out_.put("#fields\t").put(kFields).put('\n');
  out_.put("#types\t").put(kTypes).put('\n');
  header_written_ = true;
}

void ZeekRenderer::on_segment(const SegmentEvent& ev) {
  if (!header_written_) put_header(ev.ts_ns);
  last_ts_ns_ = ev.ts_ns;
  auto& bytes = ip_bytes_[ev.conn_id];
  bytes[ev.dir == Direction::ClientToServer ? 0 : 1] += ev.packet->ip_len;
}

void ZeekRenderer::on_connection_end(const ConnectionSummary& c) {
  using namespace render;
  if (!header_written_) put_header(c.first_ts_ns);
  // Zeek's originator is tcpinspect's client, unless Zeek flipped roles later (a SYN
  // answering the originator's SYN-ACK): then it is the server.
  const bool swapped = c.zeek.roles_swapped;
  const EndpointSummary& orig = swapped ? c.server : c.client;
  const EndpointSummary& resp = swapped ? c.client : c.server;
  std::array<uint64_t, 2> ip_bytes{};
  if (auto it = ip_bytes_.find(c.id); it != ip_bytes_.end()) {
    ip_bytes = it->second;
    ip_bytes_.erase(it);
  }
  const uint64_t orig_ip_bytes = ip_bytes[swapped ? 1 : 0];
  const uint64_t resp_ip_bytes = ip_bytes[swapped ? 0 : 1];
  out_.put_seconds(c.first_ts_ns, 6).put(kTab);
  out_.put(uid(c)).put(kTab);
  put_ip(out_, orig.addr), out_.put(kTab).put_uint(orig.port).put(kTab);
  put_ip(out_, resp.addr), out_.put(kTab).put_uint(resp.port).put(kTab);
  out_.put("tcp\t").put(kUnset).put(kTab);  // service: tcpinspect runs no protocol analyzers
  // main.zeek sets duration and the byte counts only when the connection lasted (> 0 s).
  if (c.duration_ns > 0) {
    out_.put_seconds(c.duration_ns, 6).put(kTab);
    out_.put_uint(c.zeek.orig_bytes).put(kTab).put_uint(c.zeek.resp_bytes).put(kTab);
  } else {
    out_.put("-\t-\t-\t");
  }
  out_.put(c.zeek.conn_state).put(kTab);
  out_.put("-\t-\t");  // local_orig, local_resp: Zeek leaves them unset without Site::local_nets
  out_.put(kUnset).put(kTab);  // missed_bytes: not computed (docs/interop.md)
  out_.put(c.zeek.history().empty() ? kUnset : c.zeek.history()).put(kTab);
  out_.put_uint(orig.packets).put(kTab).put_uint(orig_ip_bytes).put(kTab);
  out_.put_uint(resp.packets).put(kTab).put_uint(resp_ip_bytes).put(kTab);
  out_.put(kUnset).put(kTab);  // tunnel_parents: no tunnels are decoded
  put_community_id(out_, c, options_.community_id_seed), out_.put(kTab);
  out_.put_uint(c.id).put(kTab);
  out_.put(close_kind_id(c.close)).put(kTab);
  out_.put(state_name(c.client.state)).put(kTab).put(state_name(c.server.state)).put(kTab);
  out_.put_uint(c.retransmissions).put(kTab);
  out_.put(c.inferred ? 'T' : 'F').put('\n');
  if (c.last_ts_ns > last_ts_ns_) last_ts_ns_ = c.last_ts_ns;
  out_.maybe_flush();
}

void ZeekRenderer::on_finish(const InspectorStats&) {
  if (!header_written_) put_header(last_ts_ns_);
  out_.put("#close\t"), put_log_time(out_, last_ts_ns_), out_.put('\n');
  out_.flush();
}

}  // namespace tcpinspect::core
