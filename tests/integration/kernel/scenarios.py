# SPDX-License-Identifier: MIT
"""The scenarios of the real-kernel suite: scripted socket dialogues with checkpoints.

Namespace "c" holds the client (10.209.0.1 / fd00:209::1), "s" the server (10.209.0.2 /
fd00:209::2, port 5001). tcpdump captures on c's veth, so a segment from c dropped at s's
input is on the capture but never reached the server (loss after the capture point), and a
segment from s dropped at s's output is on neither. `expect` at a checkpoint is where the
script means the kernel to be (else the attempt's timing failed and it is retried); what
is compared with tcpinspect is what ss showed, whatever the expectation.
"""
import socket
import struct
import time
from dataclasses import dataclass, field

from kernel_state import normalise
from known import KNOWN
from lab import Endpoint
from pcap_peek import ACK, FIN, RST, SYN

PORT = 5001
SCENARIOS = []


@dataclass
class Scenario:
    name: str
    run: object
    ipv6: bool = False
    # where tcpinspect is known to be wrong today (known.py)
    known: dict = field(default_factory=dict)


def scenario(ipv6=False):
    def register(fn):
        SCENARIOS.append(Scenario(fn.__name__, fn, ipv6, KNOWN.get(fn.__name__, {})))
        return fn

    return register


def established(lab, **listen_options):
    """Capture, listener, connect, accept: one ESTABLISHED pair (checkpoint 'established')."""
    lab.start_capture()
    listener = lab.listen(PORT, **listen_options)
    cli = lab.connect(PORT)
    srv = lab.accept(listener)
    lab.checkpoint("established", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    return listener, cli, srv


def sent_by(segments, ep, flags=0, without=0):
    """Segments from `ep` with all of `flags` set and none of `without`."""
    return [g for g in segments if g.src == ep.local and g.flags & flags == flags and not g.flags & without]


def exchange(cli, srv, request=b"GET /\r\n", reply=b"HTTP/1.0 200 OK\r\n\r\nhello"):
    cli.send(request)
    srv.recv_exactly(len(request))
    srv.send(reply)
    cli.recv_exactly(len(reply))


# --- closes ---------------------------------------------------------------------------------
@scenario()
def close_client_first(lab):
    """The client closes first; the server acknowledges, then closes after a pause."""
    listener, cli, srv = established(lab)
    exchange(cli, srv)
    lab.checkpoint("after data", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    cli.close()
    srv.recv_eof()
    lab.checkpoint("client closed", {cli: "FIN_WAIT_2", srv: "CLOSE_WAIT"})
    srv.close()
    lab.checkpoint("server closed", {cli: "TIME_WAIT", srv: "CLOSED"})


@scenario()
def close_server_first(lab):
    """The server closes first (as an HTTP/1.0 server does); the client follows."""
    listener, cli, srv = established(lab)
    exchange(cli, srv)
    srv.close()
    cli.recv_eof()
    lab.checkpoint("server closed", {cli: "CLOSE_WAIT", srv: "FIN_WAIT_2"})
    cli.close()
    lab.checkpoint("client closed", {cli: "CLOSED", srv: "TIME_WAIT"})


@scenario()
def three_segment_close(lab):
    """FIN, FIN-ACK, ACK: the server's separate ACK of the client's FIN is dropped at its
    output (on no capture), so its FIN carries the acknowledgement."""
    listener, cli, srv = established(lab)
    exchange(cli, srv)
    lab.drop("s", "output", f"tcp sport {PORT} tcp flags == ack")
    lab.expect_wire("FIN, FIN-ACK, ACK as the last three segments", lambda g: len(g) >= 3 and [
        (x.src, x.flags & (FIN | ACK)) for x in g[-3:]] == [(cli.local, FIN | ACK), (srv.local, FIN | ACK),
                                                          (cli.local, ACK)] and g[-2].ack == g[-3].seq + 1)
    cli.close()
    srv.recv_eof()
    lab.checkpoint("client FIN in", {cli: "FIN_WAIT_1", srv: "CLOSE_WAIT"}, settle=0.03)
    srv.close()
    lab.checkpoint("FIN-ACK, ACK", {cli: "TIME_WAIT", srv: "CLOSED"})


@scenario()
def half_close(lab):
    """The client shuts down writing and keeps reading what the server still sends."""
    listener, cli, srv = established(lab)
    cli.send(b"request, then EOF")
    cli.shutdown_write()
    srv.recv_exactly(17)
    srv.recv_eof()
    lab.checkpoint("client shut down writing", {cli: "FIN_WAIT_2", srv: "CLOSE_WAIT"})
    lab.expect_wire("server data after the client's FIN", lambda g: any(
        x.src == srv.local and x.len > 0 for x in g[g.index(sent_by(g, cli, FIN)[0]):]))
    srv.send(b"r" * 3000)
    cli.recv_exactly(3000)
    lab.checkpoint("server still sending", {cli: "FIN_WAIT_2", srv: "CLOSE_WAIT"})
    srv.close()
    cli.recv_eof()
    lab.checkpoint("server closed", {cli: "TIME_WAIT", srv: "CLOSED"})
    cli.close()


def abort(lab, aborter_is_client):
    """SO_LINGER 0 close() on one side: an RST instead of a FIN; both end CLOSED."""
    listener, cli, srv = established(lab)
    exchange(cli, srv)
    aborter, peer = (cli, srv) if aborter_is_client else (srv, cli)
    who = "client" if aborter_is_client else "server"
    lab.expect_wire(f"an RST from the {who}", lambda g: sent_by(g, aborter, RST))
    aborter.abort()
    lab.checkpoint(f"{who} reset", {cli: "CLOSED", srv: "CLOSED"})
    peer.close()


@scenario()
def abort_by_client(lab):
    """SO_LINGER 0 close() on the client: an RST instead of a FIN."""
    abort(lab, aborter_is_client=True)


@scenario()
def abort_by_server(lab):
    """SO_LINGER 0 close() on the server while the client waits for more."""
    abort(lab, aborter_is_client=False)


@scenario()
def refused(lab):
    """No listener: the SYN is answered by RST, connect() fails with ECONNREFUSED."""
    lab.start_capture()
    cli = lab.connect(PORT, blocking=False)
    lab.expect_wire("SYN, RST", lambda g: [x.flags & (SYN | RST) for x in g] == [SYN, RST])
    lab.checkpoint("refused", {cli: "CLOSED", lab.far_end(cli): "CLOSED"})
    err = cli.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err != 111:
        raise AssertionError(f"connect() error {err}, want ECONNREFUSED (111)")
    cli.close()


@scenario()
def syn_dropped(lab):
    """The first SYN is lost after the capture point; the retransmission gets through."""
    lab.start_capture()
    listener = lab.listen(PORT)
    lab.drop("s", "input", f"tcp dport {PORT} tcp flags == syn", count=1)
    cli = lab.connect(PORT, blocking=False)
    lab.expect_wire("the SYN twice, then the SYN-ACK", lambda g: [x.flags & (SYN | ACK) for x in g[:3]] == [
        SYN, SYN, SYN | ACK] and g[0].seq == g[1].seq)
    lab.checkpoint("SYN lost", {cli: "SYN_SENT", lab.far_end(cli): "LISTEN"})
    lab.wait_for(cli, "ESTABLISHED", timeout=3)
    srv = lab.accept(listener)
    lab.checkpoint("SYN retransmitted", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    exchange(cli, srv)
    cli.close()
    srv.recv_eof()
    srv.close()
    lab.checkpoint("closed", {cli: "TIME_WAIT", srv: "CLOSED"})


@scenario()
def syn_unanswered(lab):
    """Every SYN is lost: the client retries, the listener never hears of it."""
    lab.start_capture()
    listener = lab.listen(PORT)  # noqa: F841 (held open: a closed listener would refuse)
    lab.drop("s", "input", f"tcp dport {PORT} tcp flags == syn")
    cli = lab.connect(PORT, blocking=False)
    lab.expect_wire("two SYNs, nothing else", lambda g: [x.flags for x in g] == [SYN, SYN])
    lab.checkpoint("first SYN", {cli: "SYN_SENT", lab.far_end(cli): "LISTEN"})
    time.sleep(1.2)
    lab.checkpoint("one retransmission", {cli: "SYN_SENT", lab.far_end(cli): "LISTEN"})
    cli.close()


@scenario()
def handshake_ack_dropped(lab):
    """The client's handshake ACK is lost after the capture point: the server stays
    SYN_RCVD, retransmits its SYN-ACK, and the client's second ACK completes it."""
    lab.start_capture()
    listener = lab.listen(PORT)
    lab.drop("s", "input", f"tcp dport {PORT} tcp flags == ack", count=1)
    cli = lab.connect(PORT)
    lab.expect_wire("the SYN-ACK twice", lambda g: len(sent_by(g, lab.far_end(cli), SYN | ACK)) == 2)
    lab.checkpoint("ACK lost", {cli: "ESTABLISHED", lab.far_end(cli): "SYN_RCVD"})
    lab.wait_for(lab.far_end(cli), "ESTABLISHED", timeout=3)
    srv = lab.accept(listener)
    lab.checkpoint("SYN-ACK retransmitted", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    exchange(cli, srv)
    cli.close()
    srv.recv_eof()
    srv.close()
    lab.checkpoint("closed", {cli: "TIME_WAIT", srv: "CLOSED"})


def fin_dropped(lab, closer_is_client):
    """The closer's first FIN is lost after the capture point (dropped at the peer's input)
    and retransmitted; the peer then closes too."""
    listener, cli, srv = established(lab)
    exchange(cli, srv)
    closer, peer = (cli, srv) if closer_is_client else (srv, cli)
    port_match = f"tcp dport {PORT}" if closer_is_client else f"tcp sport {PORT}"
    lab.drop(peer.ns, "input", f"{port_match} tcp flags & fin == fin", count=1)
    who = "client" if closer_is_client else "server"
    lab.expect_wire(f"the {who}'s FIN twice", lambda g: len(sent_by(g, closer, FIN)) == 2)
    closer.close()
    lab.checkpoint("FIN lost", {closer: "FIN_WAIT_1", peer: "ESTABLISHED"}, settle=0.05)
    lab.wait_for(peer, "CLOSE_WAIT", timeout=3)
    lab.checkpoint("FIN retransmitted", {closer: "FIN_WAIT_2", peer: "CLOSE_WAIT"})
    peer.close()
    lab.checkpoint("closed", {closer: "TIME_WAIT", peer: "CLOSED"})


@scenario()
def client_fin_dropped(lab):
    """The client's first FIN is lost after the capture point and retransmitted."""
    fin_dropped(lab, closer_is_client=True)


@scenario()
def server_fin_dropped(lab):
    """The server's first FIN is captured but dropped at the client's input."""
    fin_dropped(lab, closer_is_client=False)


@scenario()
def simultaneous_open(lab):
    """Both sides connect() to each other; the first SYN (c's) is lost at s, so s's SYN
    reaches c in SYN_SENT: c answers SYN-ACK, s completes with an ACK."""
    lab.start_capture()
    lab.drop("s", "input", "tcp dport 6002 tcp flags == syn", count=1)
    a = lab.connect(6002, side="c", to="s", sport=6001, blocking=False)
    time.sleep(0.02)
    b = lab.connect(6001, side="s", to="c", sport=6002, blocking=False)
    lab.expect_wire("a SYN from each side, then SYN-ACK", lambda g: [
        (x.src, x.flags & (SYN | ACK)) for x in g[:3]] == [(a.local, SYN), (b.local, SYN), (a.local, SYN | ACK)])
    lab.checkpoint("SYNs crossed", {a: "ESTABLISHED", b: "ESTABLISHED"})
    a.close()
    b.recv_eof()
    b.close()
    lab.checkpoint("closed", {a: "TIME_WAIT", b: "CLOSED"})


@scenario()
def simultaneous_close(lab):
    """Both close at once: c's FIN is lost at s, s's FIN reaches c in FIN_WAIT_1 (CLOSING);
    c's retransmitted FIN then moves both to TIME_WAIT."""
    listener, cli, srv = established(lab)
    exchange(cli, srv)
    lab.drop("s", "input", f"tcp dport {PORT} tcp flags & fin == fin", count=1)
    lab.expect_wire("crossing FINs", lambda g: [(x.src, x.flags & FIN) for x in g if x.flags & FIN][:2] == [
        (cli.local, FIN), (srv.local, FIN)] and sent_by(g, srv, FIN)[0].ack == sent_by(g, cli, FIN)[0].seq)
    cli.close()
    srv.close()
    lab.checkpoint("FINs crossed", {cli: "CLOSING", srv: "FIN_WAIT_2"}, settle=0.05)
    lab.wait_for(cli, "TIME_WAIT", timeout=3)
    lab.checkpoint("both TIME_WAIT", {cli: "TIME_WAIT", srv: "TIME_WAIT"})


@scenario()
def keepalive(lab):
    """Keep-alive probes answered; then the server goes silent and the client gives up
    after TCP_KEEPCNT probes with an RST."""
    listener, cli, srv = established(lab)
    exchange(cli, srv)
    s = cli.sock
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 2)
    lab.expect_wire("keep-alive probes (seq = next - 1, no data) and the client's RST", lambda g: len(
        [x for x in sent_by(g, cli, ACK, FIN | SYN | RST) if x.len == 0 and x.seq == (
            sent_by(g, cli, SYN)[0].seq + 1 + 7 - 1) % 2**32]) >= 3 and sent_by(g, cli, RST))
    time.sleep(2.2)
    lab.checkpoint("probes answered", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    lab.drop("s", "output", f"tcp sport {PORT}")
    lab.wait_for(cli, "CLOSED", timeout=6)
    lab.checkpoint("client gave up", {cli: "CLOSED", srv: "CLOSED"})
    cli.close()
    srv.close()


@scenario()
def zero_window(lab):
    """The server does not read: its window closes, the client probes it, then the
    server drains and the connection closes."""
    listener, cli, srv = established(lab, rcvbuf=4096)
    lab.expect_wire("a zero window from the server", lambda g: any(x.win == 0 for x in sent_by(g, srv, ACK)))
    cli.sock.setblocking(False)
    sent = 0
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            sent += cli.sock.send(b"z" * 4096)
        except BlockingIOError:
            time.sleep(0.05)
    cli.sock.setblocking(True)
    time.sleep(0.5)
    lab.checkpoint("window closed", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    srv.recv_exactly(sent, timeout=5)
    cli.close()
    srv.recv_eof()
    srv.close()
    lab.checkpoint("closed", {cli: "TIME_WAIT", srv: "CLOSED"})


def fastopen_connect(lab, data):
    s = lab.socket("c")
    # Blocking, so that sendto() waits for the handshake; SO_SNDTIMEO bounds the wait
    # (Python's settimeout() would make the socket non-blocking: EINPROGRESS).
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", 3, 0))
    s.sendto(data, socket.MSG_FASTOPEN, lab.sockaddr("s", PORT))
    s.settimeout(3)
    return lab.wrap("c", s, "s", PORT)


@scenario()
def fast_open(lab):
    """TCP Fast Open: a cookie request, then a SYN with the cookie and data accepted."""
    for side in ("c", "s"):
        lab.sysctl(side, "net.ipv4.tcp_fastopen", 3)
    lab.start_capture()
    listener = lab.listen(PORT, fastopen=True)
    lab.expect_wire("a SYN with 16 bytes of data, acknowledged", lambda g: any(
        x.flags == SYN and x.len == 16 and any(y.flags & SYN and y.ack == x.seq + 17 for y in g) for x in g))
    for label in ("cookie request", "data in SYN"):
        cli = fastopen_connect(lab, b"hello in the SYN")
        srv = lab.accept(listener)
        srv.recv_exactly(16)
        srv.send(b"ok")
        cli.recv_exactly(2)
        lab.checkpoint(label, {cli: "ESTABLISHED", srv: "ESTABLISHED"})
        cli.close()
        srv.recv_eof()
        srv.close()
        lab.checkpoint(label + " closed", {cli: "TIME_WAIT", srv: "CLOSED"})


@scenario()
def fast_open_data_ignored(lab):
    """The client sends data in its SYN without a cookie (tcp_fastopen 0x5); the server
    has no Fast Open, so its SYN-ACK acknowledges ISN + 1 only and the data is resent."""
    lab.sysctl("c", "net.ipv4.tcp_fastopen", 5)
    lab.sysctl("s", "net.ipv4.tcp_fastopen", 0)
    lab.start_capture()
    listener = lab.listen(PORT)
    cli = fastopen_connect(lab, b"hello in the SYN")
    lab.expect_wire("a SYN with data, its SYN-ACK acknowledging the SYN only", lambda g: (
        g[0].flags == SYN and g[0].len == 16 and g[1].flags == SYN | ACK and g[1].ack == g[0].seq + 1))
    srv = lab.accept(listener)
    srv.recv_exactly(16)
    lab.checkpoint("data resent", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    srv.close()
    cli.recv_eof()
    cli.close()
    lab.checkpoint("closed", {cli: "CLOSED", srv: "TIME_WAIT"})


@scenario()
def syn_cookies(lab):
    """SYN cookies always on (tcp_syncookies 2) and the handshake ACK lost: the server
    keeps no state, so only the client's first data segment (carrying the cookie in its
    ACK) creates the server's socket."""
    lab.sysctl("s", "net.ipv4.tcp_syncookies", 2)
    lab.start_capture()
    listener = lab.listen(PORT)
    lab.drop("s", "input", f"tcp dport {PORT} tcp flags == ack", count=1)
    cli = lab.connect(PORT)
    far = lab.far_end(cli)
    lab.expect_wire("no SYN-ACK retransmission (the server keeps no state)",
                    lambda g: len(sent_by(g, far, SYN | ACK)) == 1)
    lab.checkpoint("ACK lost", {cli: "ESTABLISHED", far: "LISTEN"},
                   skip={far: "SYN cookies: the half-open connection exists only in the ISN, "
                              "no socket to ask"})
    cli.send(b"data acknowledges the cookie")
    srv = lab.accept(listener)
    srv.recv_exactly(28)
    lab.checkpoint("cookie accepted", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    cli.close()
    srv.recv_eof()
    srv.close()
    lab.checkpoint("closed", {cli: "TIME_WAIT", srv: "CLOSED"})


@scenario(ipv6=True)
def ipv6_close(lab):
    """An ordinary conversation over IPv6, the server's ACK of the client's FIN lost."""
    listener, cli, srv = established(lab)
    exchange(cli, srv)
    lab.drop("c", "input", f"tcp sport {PORT} tcp flags == ack", count=1)
    cli.close()
    srv.recv_eof()
    lab.checkpoint("client FIN", {cli: "FIN_WAIT_1", srv: "CLOSE_WAIT"}, settle=0.1)
    srv.close()
    lab.checkpoint("closed", {cli: "TIME_WAIT", srv: "CLOSED"})


@scenario(ipv6=True)
def ipv6_syn_dropped(lab):
    """The first SYN lost over IPv6."""
    lab.start_capture()
    listener = lab.listen(PORT)
    lab.drop("s", "input", f"tcp dport {PORT} tcp flags == syn", count=1)
    cli = lab.connect(PORT, blocking=False)
    lab.expect_wire("the SYN twice, then the SYN-ACK", lambda g: [x.flags & (SYN | ACK) for x in g[:3]] == [
        SYN, SYN, SYN | ACK] and g[0].seq == g[1].seq)
    lab.checkpoint("SYN lost", {cli: "SYN_SENT", lab.far_end(cli): "LISTEN"})
    lab.wait_for(cli, "ESTABLISHED", timeout=3)
    srv = lab.accept(listener)
    lab.checkpoint("established", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    srv.close()
    cli.recv_eof()
    cli.close()
    lab.checkpoint("closed", {cli: "CLOSED", srv: "TIME_WAIT"})


def inject(lab, ep, flags, seq, *more):
    """Sends a segment forged from `ep` (its addresses and ports) to its peer."""
    (src, sport), (dst, dport) = (ep.local.rsplit(":", 1), ep.peer.rsplit(":", 1))
    lab.craft(ep.ns, "--src", src.strip("[]"), "--dst", dst.strip("[]"), "--sport", sport,
              "--dport", dport, "--flags", flags, "--seq", seq, *more)


@scenario()
def injected_syn(lab):
    """A SYN with a new sequence number injected into an established connection: the
    server answers with a challenge ACK (RFC 5961 4) and nothing changes."""
    listener, cli, srv = established(lab)
    exchange(cli, srv)
    lab.expect_wire("the injected SYN answered by an ACK from the server", lambda g: any(
        x.flags == SYN and i > 3 and any(y.src == srv.local and y.flags == ACK for y in g[i + 1:i + 2])
        for i, x in enumerate(g)))
    inject(lab, cli, "S", (lab.next_seq(cli) + 100000) % 2**32)
    lab.checkpoint("SYN injected", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    exchange(cli, srv)
    cli.close()
    srv.recv_eof()
    srv.close()
    lab.checkpoint("closed", {cli: "TIME_WAIT", srv: "CLOSED"})


@scenario()
def injected_rst(lab):
    """RSTs injected as if from the client: one in the window but not at RCV.NXT (a
    challenge ACK, RFC 5961 3.2), then one at RCV.NXT, which resets the server; the
    client's next data gets an RST."""
    listener, cli, srv = established(lab)
    exchange(cli, srv)
    nxt = lab.next_seq(cli)
    lab.expect_wire("two RSTs from the client, a challenge ACK after the first, an RST from the server",
                    lambda g: len(sent_by(g, cli, RST)) == 2 and sent_by(g, srv, RST)
                    and g[g.index(sent_by(g, cli, RST)[0]) + 1].src == srv.local)
    inject(lab, cli, "R", (nxt + 1000) % 2**32)
    lab.checkpoint("RST in window", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    inject(lab, cli, "R", nxt)
    lab.checkpoint("RST at RCV.NXT", {cli: "ESTABLISHED", srv: "CLOSED"})
    cli.send(b"anyone there?")
    lab.checkpoint("client reset", {cli: "CLOSED", srv: "CLOSED"})
    cli.close()
    srv.close()


@scenario()
def midstream(lab):
    """The capture starts after the handshake and some data."""
    listener = lab.listen(PORT)
    cli = lab.connect(PORT)
    srv = lab.accept(listener)
    exchange(cli, srv)
    lab.start_capture()
    lab.expect_wire("no SYN", lambda g: g and not any(x.flags & SYN for x in g))
    lab.checkpoint("capture started", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    exchange(cli, srv)
    lab.checkpoint("data seen", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    cli.close()
    srv.recv_eof()
    lab.checkpoint("client closed", {cli: "FIN_WAIT_2", srv: "CLOSE_WAIT"})
    srv.close()
    lab.checkpoint("closed", {cli: "TIME_WAIT", srv: "CLOSED"})


@scenario()
def port_reuse(lab):
    """The server closes first (its side keeps TIME_WAIT); the client connects again from
    the same port and the server's TIME_WAIT accepts the new SYN: a second connection."""
    lab.start_capture()
    listener = lab.listen(PORT)
    lab.expect_wire("two SYNs from the same port", lambda g: (
        len({x.src for x in g if x.flags == SYN}) == 1 and len([x for x in g if x.flags == SYN]) == 2))
    for n in (1, 2):
        cli = lab.connect(PORT, sport=40001)
        srv = lab.accept(listener)
        lab.checkpoint(f"connection {n} established", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
        exchange(cli, srv)
        srv.close()
        cli.recv_eof()
        cli.close()
        lab.checkpoint(f"connection {n} closed", {cli: "CLOSED", srv: "TIME_WAIT"})


@scenario()
def synack_dropped(lab):
    """The server's first SYN-ACK is captured but dropped at the client's input: the
    client retransmits its SYN, the server its SYN-ACK."""
    lab.start_capture()
    listener = lab.listen(PORT)
    lab.drop("c", "input", f"tcp sport {PORT} tcp flags & (syn | ack) == syn | ack", count=1)
    cli = lab.connect(PORT, blocking=False)
    far = lab.far_end(cli)
    lab.expect_wire("SYN, SYN-ACK, SYN, SYN-ACK, ACK", lambda g: [x.flags & (SYN | ACK) for x in g[:5]] == [
        SYN, SYN | ACK, SYN, SYN | ACK, ACK] or [x.flags & (SYN | ACK) for x in g[:5]] == [
        SYN, SYN | ACK, SYN | ACK, SYN, ACK])
    lab.checkpoint("SYN-ACK lost", {cli: "SYN_SENT", far: "SYN_RCVD"})
    lab.wait_for(cli, "ESTABLISHED", timeout=3)
    srv = lab.accept(listener)
    lab.checkpoint("established", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    cli.close()
    srv.recv_eof()
    srv.close()
    lab.checkpoint("closed", {cli: "TIME_WAIT", srv: "CLOSED"})


@scenario()
def capture_from_synack(lab):
    """The capture misses the SYN (a filter stands for starting it a moment late): the
    first segment is the SYN-ACK, whose sender is the passive opener."""
    lab.start_capture(bpf="tcp and not tcp[tcpflags] == tcp-syn")
    listener = lab.listen(PORT)
    cli = lab.connect(PORT)
    srv = lab.accept(listener)
    lab.expect_wire("a SYN-ACK first", lambda g: g[0].flags == SYN | ACK)
    lab.checkpoint("established", {cli: "ESTABLISHED", srv: "ESTABLISHED"})
    exchange(cli, srv)
    srv.close()
    cli.recv_eof()
    lab.checkpoint("server closed", {cli: "CLOSE_WAIT", srv: "FIN_WAIT_2"})
    cli.close()
    lab.checkpoint("closed", {cli: "CLOSED", srv: "TIME_WAIT"})


@scenario()
def crafted_syn_reset(lab):
    """A SYN crafted from c (as a half-open scan sends it): the listener answers SYN-ACK,
    c's kernel, which has no such socket, answers RST, and the server is back to LISTEN."""
    lab.start_capture()
    listener = lab.listen(PORT)  # noqa: F841 (held open)
    lab.craft("c", "--src", lab.addr["c"], "--dst", lab.addr["s"], "--sport", 40002, "--dport", PORT,
              "--flags", "S", "--seq", 1000)
    lab.expect_wire("SYN, SYN-ACK, RST", lambda g: [x.flags & (SYN | ACK | RST) for x in g] == [
        SYN, SYN | ACK, RST])
    prober = Endpoint(lab, "c", None, lab._name(lab.sockaddr("c", 40002)), lab._name(lab.sockaddr("s", PORT)))
    lab.active_openers.add(normalise(prober.local))
    lab.checkpoint("reset", {prober: "CLOSED", lab.far_end(prober): "LISTEN"})


@scenario()
def synack_bad_ack(lab):
    """A SYN-ACK with an unacceptable ACK (RFC 9293 3.10.7.3) injected while the client
    waits in SYN_SENT (its real SYNs are all lost): the client answers RST with
    seq = SEG.ACK and stays in SYN_SENT."""
    lab.start_capture()
    listener = lab.listen(PORT)  # noqa: F841 (held open)
    lab.drop("s", "input", f"tcp dport {PORT} tcp flags == syn")
    cli = lab.connect(PORT, blocking=False)
    time.sleep(0.1)
    far = lab.far_end(cli)
    bad_ack = (lab.next_seq(cli) + 1000) % 2**32  # beyond SND.NXT = ISN + 1: unacceptable
    inject(lab, far, "SA", 5000, "--ack", bad_ack)
    lab.expect_wire("the client's RST with seq = the SYN-ACK's ack", lambda g: any(
        x.seq == bad_ack for x in sent_by(g, cli, RST)))
    lab.checkpoint("bad SYN-ACK", {cli: "SYN_SENT", far: "LISTEN"})
    cli.close()
