// SPDX-License-Identifier: MIT
#include "core/render/phrasebook.hpp"

namespace tcpinspect::core::render {
namespace {

struct Pair {
  std::string_view en;
  std::string_view zh;
};

std::string_view pick(Lang lang, Pair p) {
  return lang == Lang::Zh ? p.zh : p.en;
}

Pair state_pair(TcpState s) {
  switch (s) {
    case TcpState::Closed:
      return {"has no connection", "没有连接"};
    case TcpState::Listen:
      return {"waits for a SYN (listen() was called)", "在等待 SYN（已调用 listen()）"};
    case TcpState::SynSent:
      return {"has sent its SYN and waits for the SYN-ACK (connect() blocks)",
              "已发出 SYN，正在等待 SYN-ACK（connect() 阻塞中）"};
    case TcpState::SynRcvd:
      return {"has answered a SYN and waits for the handshake's ACK",
              "已回应 SYN，正在等待三次握手的最后一个 ACK"};
    case TcpState::Established:
      return {"is connected, and data can flow both ways", "连接已建立，双方可以收发数据"};
    case TcpState::FinWait1:
      return {"has sent its FIN and waits for it to be acknowledged",
              "已发出 FIN，正在等待对方确认"};
    case TcpState::FinWait2:
      return {"has had its FIN acknowledged and waits for the peer's FIN (half-closed)",
              "自己的 FIN 已被确认，正在等待对方的 FIN（半关闭）"};
    case TcpState::CloseWait:
      return {"has received the peer's FIN: read() returns 0, and it should close() too",
              "已收到对方的 FIN：read() 返回 0，应用应当调用 close()"};
    case TcpState::Closing:
      return {
          "sent a FIN and received the peer's FIN before its own was acknowledged "
          "(simultaneous close)",
          "已发出 FIN，又在自己的 FIN 被确认前收到了对方的 FIN（同时关闭）"};
    case TcpState::LastAck:
      return {"has sent its own FIN after the peer's and waits for the last ACK",
              "在对方之后也发出了 FIN，正在等待最后一个 ACK"};
    case TcpState::TimeWait:
      return {"waits 2*MSL so that late segments die out and its last ACK can be resent",
              "等待 2*MSL，让迟到的报文段消失，并能重发最后的 ACK"};
  }
  return {"", ""};
}

Pair note_pair(Note n) {
  switch (n) {
    case Note::ConnectReturns:
      return {"The client received the SYN-ACK, so connect() returned 0.",
              "客户端收到了 SYN-ACK，所以 connect() 返回 0。"};
    case Note::AcceptReturns:
      return {"The server received the handshake's ACK, so accept() returned the new socket.",
              "服务器收到了三次握手的 ACK，所以 accept() 返回了新的套接字。"};
    case Note::ReadReturnsZero:
      return {
          "A FIN arrived: the receiver's read() returns 0 (end of file) once the data "
          "before it has been read.",
          "收到了 FIN：接收方读完之前的数据后，read() 返回 0（文件结束）。"};
    case Note::ConnectionRefused:
      return {
          "The SYN was answered by RST: nothing listens on that port, so connect() "
          "failed with ECONNREFUSED.",
          "SYN 被 RST 回应：该端口上没有进程在监听，所以 connect() 以 ECONNREFUSED 失败。"};
    case Note::ConnectionReset:
      return {"An acceptable RST arrived: the receiver's next call fails with ECONNRESET.",
              "收到了有效的 RST：接收方的下一次调用以 ECONNRESET 失败。"};
    case Note::SimultaneousOpen:
      return {"Both sides sent a SYN before seeing the other's (simultaneous open).",
              "双方都在看到对方的 SYN 之前发出了自己的 SYN（同时打开）。"};
    case Note::SimultaneousClose:
      return {"Both sides sent a FIN before seeing the other's (simultaneous close).",
              "双方都在看到对方的 FIN 之前发出了自己的 FIN（同时关闭）。"};
    case Note::HalfClose:
      return {"Data still flows towards the side that already sent its FIN (half-close).",
              "数据仍在流向已经发出 FIN 的一方（半关闭）。"};
    case Note::Retransmission:
      return {"These bytes had been sent before: a retransmission.",
              "这些字节之前已经发送过：这是一次重传。"};
    case Note::SynRetransmission:
      return {"The SYN was sent again because no SYN-ACK arrived in time.",
              "因为没有及时收到 SYN-ACK，SYN 被重传了。"};
    case Note::PreviousSegmentNotCaptured:
      return {"The sequence number jumps ahead: earlier bytes were not captured (a gap).",
              "序列号向前跳跃：之前的字节没有被抓到（出现空洞）。"};
    case Note::OutOfOrder:
      return {
          "This segment arrives out of order: it fills an earlier gap, or comes too soon "
          "after the newest segment to be a resend; it was reordered, or resent after a "
          "loss before the capture point.",
          "这个报文段乱序到达：它填补了之前的空洞，或紧跟在最新的报文段之后、来不及是重传；"
          "它是被重新排序的，或是在抓包点之前丢失后被重传的。"};
    case Note::AckedUnseenSegment:
      return {"It acknowledges bytes the capture never saw.", "它确认了抓包中从未出现过的字节。"};
    case Note::DuplicateAck:
      return {
          "The same acknowledgement number and window again: a duplicate ACK (three "
          "of them trigger fast retransmit).",
          "确认号和窗口都与上一次相同：重复 ACK（三个重复 ACK 会触发快速重传）。"};
    case Note::ZeroWindow:
      return {
          "The receiver advertised a zero window: its buffer is full and the sender must "
          "stop.",
          "接收方通告了零窗口：它的缓冲区已满，发送方必须暂停发送。"};
    case Note::WindowFull:
      return {
          "The data reaches the right edge of the receiver's window: the sender must now "
          "wait for an ACK.",
          "数据已到达接收窗口的右边界：发送方现在必须等待 ACK。"};
    case Note::KeepAlive:
      return {
          "A keep-alive probe: seq is one below the next number, to see if the peer is "
          "still there.",
          "保活探测：序列号比下一个序列号小一，用来探测对方是否还在。"};
    case Note::RstOutOfWindow:
      return {"The RST's seq is outside the receive window, so the receiver ignores it.",
              "RST 的序列号不在接收窗口内，所以接收方忽略了它。"};
    case Note::RstChallengeAck:
      return {
          "The RST is in the window but not at RCV.NXT: the receiver answers with a "
          "challenge ACK instead of closing.",
          "RST 在窗口内但不等于 RCV.NXT：接收方不会关闭连接，而是回复一个挑战 ACK。"};
    case Note::BadChecksum:
      return {
          "The TCP checksum is wrong, and it is not the pseudo-header sum that checksum "
          "offload leaves: the segment was damaged or forged; the receiver would drop it.",
          "TCP "
          "校验和错误，且不是校验和卸载留下的伪首部和：该报文段已损坏或被伪造；接收方会丢弃它。"};
    case Note::WindowScaleClamped:
      return {"The window scale is above 14, so it is treated as 14.",
              "窗口扩大因子大于 14，按 14 处理。"};
    case Note::DataAfterFin:
      return {"The sender sent new bytes after its own FIN, which TCP does not allow.",
              "发送方在自己的 FIN 之后又发送了新数据，这是 TCP 不允许的。"};
    case Note::SegmentAfterClose:
      return {"A segment arrived after both sides had closed the connection.",
              "双方都已关闭连接后，又出现了一个报文段。"};
    case Note::PortReuse:
      return {
          "A new SYN reused the four-tuple of a connection that had ended: a new "
          "connection.",
          "新的 SYN 复用了一个已结束连接的四元组：这是一个新连接。"};
    case Note::InferredMidstream:
      return {"The capture began in the middle of the connection, so the states are inferred.",
              "抓包开始时连接已经在进行中，所以状态是推断出来的。"};
    case Note::TimeWaitExpired:
      return {"2*MSL passed in TIME_WAIT, so that side is now CLOSED.",
              "在 TIME_WAIT 中等待了 2*MSL，这一方现在进入 CLOSED。"};
    case Note::IcmpUnreachable:
      return {
          "An ICMP destination-unreachable error quoted this connection: connect() fails "
          "with EHOSTUNREACH or ENETUNREACH.",
          "一个 ICMP 目的不可达报文引用了这个连接：connect() 以 EHOSTUNREACH 或 "
          "ENETUNREACH 失败。"};
    case Note::SynAckBadAck:
      return {
          "The SYN-ACK acknowledges something other than the client's ISN + 1: it is "
          "unacceptable, the client stays SYN_SENT and answers with an RST whose seq is "
          "that ack.",
          "SYN-ACK 确认的不是客户端的 ISN + 1：这个确认不可接受，客户端仍处于 SYN_SENT，"
          "并以 seq 等于该确认号的 RST 回应。"};
    case Note::RstAnswersBadSynAck:
      return {
          "The client's RST carries the bad SYN-ACK's ack as its seq: the answer RFC 9293 "
          "prescribes; the client itself stays SYN_SENT.",
          "客户端的 RST 以错误 SYN-ACK 的确认号作为 seq：这正是 RFC 9293 规定的回应；"
          "客户端自身仍处于 SYN_SENT。"};
    case Note::HandshakeReset:
      return {
          "An RST answered the SYN-ACK: the listener drops the half-open connection and "
          "goes back to LISTEN. accept() never returned, so no application sees ECONNRESET.",
          "RST 回应了 SYN-ACK：监听方丢弃这个半开连接，回到 LISTEN。accept() 从未返回，"
          "所以没有应用程序会看到 ECONNRESET。"};
    case Note::SynInSynchronized:
      return {
          "A SYN with a new sequence number arrived on an open connection: it is not a "
          "retransmission and does not change the ISN; the receiver answers with a "
          "challenge ACK.",
          "已建立的连接上收到了一个序号不同的 SYN：它不是重传，也不改变 ISN；接收方以挑战 "
          "ACK 回应。"};
    case Note::ChallengeAck:
      return {
          "A challenge ACK: the receiver of a suspicious SYN or RST states what it really "
          "expects, so a genuine peer can reset properly.",
          "挑战 ACK：收到可疑 SYN 或 RST 的一方说明它真正期望的序号，让真正的对端可以正确"
          "地重置。"};
    case Note::FastRetransmission:
      return {
          "A fast retransmission: the receiver's duplicate ACKs asked for exactly these "
          "bytes, and the sender resent them without waiting for its timer.",
          "快速重传：接收方的重复 ACK 正是在索要这些字节，发送方没有等待重传计时器就重发了它们。"};
    case Note::SpuriousRetransmission:
      return {
          "A spurious retransmission: the receiver had already acknowledged all of these "
          "bytes, so resending them was not needed.",
          "虚假重传：接收方已经确认了这些字节的全部，重发并不需要。"};
    case Note::ZeroWindowProbe:
      return {
          "A zero-window probe: one byte sent into the receiver's zero window, to learn "
          "when it opens again.",
          "零窗口探测：向接收方的零窗口发送一个字节，以便得知窗口何时重新打开。"};
    case Note::ZeroWindowProbeAck:
      return {"The answer to a zero-window probe: the window is still zero.",
              "对零窗口探测的应答：窗口仍然为零。"};
    case Note::TfoCookieRequest:
      return {
          "The SYN asks the server for a TCP Fast Open cookie, to send data in the SYN of "
          "later connections.",
          "这个 SYN 向服务器请求 TCP Fast Open cookie，以便以后的连接在 SYN 中携带数据。"};
    case Note::TfoCookie:
      return {
          "A TCP Fast Open cookie: granted by the server in a SYN-ACK, or presented by the "
          "client in a SYN that carries data.",
          "TCP Fast Open cookie：由服务器在 SYN-ACK 中发放，或由客户端在携带数据的 SYN 中出示。"};
    case Note::TfoDataAccepted:
      return {"The SYN-ACK acknowledges the SYN's data too: Fast Open saved a round trip.",
              "SYN-ACK 同时确认了 SYN 中的数据：Fast Open 省下了一个往返时间。"};
    case Note::TfoDataIgnored:
      return {
          "The SYN-ACK acknowledges only the SYN, not its data: the client must send the "
          "data again after the handshake. Not an error.",
          "SYN-ACK 只确认了 SYN，没有确认其中的数据：客户端必须在握手之后重新发送这些数据。"
          "这不是错误。"};
    case Note::RstSuspectedForged:
      return {
          "This RST may be forged by a third party: it does not look like its claimed "
          "sender's other segments (TTL, IP ID), or that sender kept sending data after it.",
          "这个 RST 可能是第三方伪造的：它与其声称的发送方的其他报文段不一致（TTL、IP ID），"
          "或者该发送方在它之后仍在发送数据。"};
    case Note::Count_:
      break;
  }
  return {"", ""};
}

Pair check_pair(CheckKind k) {
  switch (k) {
    case CheckKind::SynAckAcksSyn:
      return {"a SYN-ACK acknowledges the client's ISN + 1: the SYN consumed one number",
              "SYN-ACK 的确认号是客户端 ISN + 1：SYN 占用一个序列号"};
    case CheckKind::HandshakeAck:
      return {"the handshake's ACK acknowledges the server's ISN + 1",
              "三次握手的 ACK 确认服务器的 ISN + 1"};
    case CheckKind::SeqExpected:
      return {"seq equals the sender's next sequence number: no gap, no overlap",
              "序列号等于发送方的下一个序列号：没有空洞，也没有重叠"};
    case CheckKind::AckInRange:
      return {"an ACK acknowledges only numbers the peer has sent",
              "确认号只能确认对方已经发送过的序列号"};
    case CheckKind::FinAcked:
      return {"the FIN is acknowledged with its seq + 1: the FIN consumed one number",
              "对 FIN 的确认号是 FIN 的序列号 + 1：FIN 占用一个序列号"};
    case CheckKind::RstAcceptable:
      return {"an RST is accepted only when its seq equals the receiver's RCV.NXT",
              "只有序列号等于接收方 RCV.NXT 的 RST 才会被接受"};
    case CheckKind::RstAcksSyn:
      return {"an RST answering a SYN acknowledges the SYN's ISN + 1",
              "回应 SYN 的 RST 的确认号是该 SYN 的 ISN + 1"};
  }
  return {"", ""};
}

Pair close_pair(CloseKind k) {
  switch (k) {
    case CloseKind::Open:
      return {"The connection was still open when the capture ended.",
              "抓包结束时连接仍然是打开的。"};
    case CloseKind::Graceful:
      return {
          "It ended gracefully: both sides sent a FIN and had it acknowledged (the "
          "four-way close).",
          "连接正常关闭：双方都发出了 FIN 并得到了确认（四次挥手）。"};
    case CloseKind::HalfClosed:
      return {"Only one direction was closed: one side's FIN, not the other's (half-closed).",
              "只有一个方向被关闭：只有一方发出了 FIN（半关闭）。"};
    case CloseKind::ResetByClient:
      return {"The client reset the connection: the server sees ECONNRESET.",
              "客户端重置了连接：服务器会得到 ECONNRESET。"};
    case CloseKind::ResetByServer:
      return {"The server reset the connection: the client sees ECONNRESET.",
              "服务器重置了连接：客户端会得到 ECONNRESET。"};
    case CloseKind::Refused:
      return {
          "The connection was refused: the SYN was answered by RST, so connect() failed "
          "with ECONNREFUSED.",
          "连接被拒绝：SYN 被 RST 回应，所以 connect() 以 ECONNREFUSED 失败。"};
    case CloseKind::TimedOut:
      return {
          "The SYN was never answered and the client gave up: connect() failed with "
          "ETIMEDOUT.",
          "SYN 一直没有得到回应，客户端放弃了：connect() 以 ETIMEDOUT 失败。"};
    case CloseKind::NoAnswer:
      return {
          "The SYN had no answer yet when the capture ended: the client is still in "
          "SYN_SENT, and connect() is still waiting (how long it keeps retrying is the "
          "stack's setting).",
          "抓包结束时 SYN 还没有得到回应：客户端仍处于 SYN_SENT，connect() 仍在等待"
          "（重试多久由协议栈的设置决定）。"};
    case CloseKind::Unreachable:
      return {"An ICMP destination-unreachable error answered the SYN: connect() failed.",
              "SYN 收到了 ICMP 目的不可达差错：connect() 失败。"};
    case CloseKind::HandshakeReset:
      return {
          "The SYN-ACK was answered by RST: the listener dropped the half-open connection; "
          "no accept() returned and no application saw it.",
          "SYN-ACK 被 RST 回应：监听方丢弃了半开连接；accept() 没有返回，没有应用程序看到它。"};
  }
  return {"", ""};
}

}  // namespace

std::string_view state_meaning(Lang lang, TcpState s) {
  return pick(lang, state_pair(s));
}
std::string_view note_sentence(Lang lang, Note n) {
  return pick(lang, note_pair(n));
}
std::string_view check_rule(Lang lang, CheckKind k) {
  return pick(lang, check_pair(k));
}
std::string_view close_sentence(Lang lang, CloseKind k) {
  return pick(lang, close_pair(k));
}
std::string_view side_name(Lang lang, Direction side) {
  const bool client = side == Direction::ClientToServer;
  return lang == Lang::Zh ? (client ? "客户端" : "服务器") : (client ? "client" : "server");
}

std::string_view note_rfc(Note n) {
  switch (n) {
    case Note::ConnectReturns:
    case Note::AcceptReturns:
      return "RFC 9293 3.5";
    case Note::SynAckBadAck:
    case Note::RstAnswersBadSynAck:
      return "RFC 9293 3.10.7.3";
    case Note::HandshakeReset:
      return "RFC 9293 3.10.7.4";
    case Note::SynInSynchronized:
    case Note::ChallengeAck:
      return "RFC 5961 4";
    case Note::ReadReturnsZero:
    case Note::HalfClose:
    case Note::DataAfterFin:
      return "RFC 9293 3.6";
    case Note::ConnectionRefused:
    case Note::ConnectionReset:
      return "RFC 9293 3.5.2";
    case Note::SimultaneousOpen:
      return "RFC 9293 3.5 (Figure 7)";
    case Note::SimultaneousClose:
      return "RFC 9293 3.6 (Figure 13)";
    case Note::Retransmission:
    case Note::SynRetransmission:
    case Note::SpuriousRetransmission:
      return "RFC 6298";
    case Note::FastRetransmission:
      return "RFC 5681 3.2";
    case Note::ZeroWindowProbe:
    case Note::ZeroWindowProbeAck:
      return "RFC 9293 3.8.6.1";
    case Note::TfoCookieRequest:
    case Note::TfoCookie:
    case Note::TfoDataAccepted:
    case Note::TfoDataIgnored:
      return "RFC 7413";
    case Note::RstSuspectedForged:
      return "RFC 5961";
    case Note::PreviousSegmentNotCaptured:
    case Note::OutOfOrder:
    case Note::AckedUnseenSegment:
      return "RFC 9293 3.10.7.4";
    case Note::DuplicateAck:
      return "RFC 5681 2";
    case Note::ZeroWindow:
    case Note::WindowFull:
      return "RFC 9293 3.8.6";
    case Note::KeepAlive:
      return "RFC 9293 3.8.4";
    case Note::RstOutOfWindow:
      return "RFC 9293 3.10.7.4";
    case Note::RstChallengeAck:
      return "RFC 5961 3.2";
    case Note::BadChecksum:
      return "RFC 9293 3.1";
    case Note::WindowScaleClamped:
      return "RFC 7323 2.3";
    case Note::SegmentAfterClose:
    case Note::PortReuse:
    case Note::TimeWaitExpired:
      return "RFC 9293 3.6.1";
    case Note::InferredMidstream:
      return "RFC 9293 3.3.2";
    case Note::IcmpUnreachable:
      return "RFC 1122 4.2.3.9";
    case Note::Count_:
      break;
  }
  return "";
}

}  // namespace tcpinspect::core::render
