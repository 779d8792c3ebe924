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
import time
from dataclasses import dataclass, field

PORT = 5001
SCENARIOS = []


@dataclass
class Scenario:
    name: str
    run: object
    ipv6: bool = False
    # (checkpoint label, "client"|"server", tcpinspect's state) -> why tcpinspect is wrong
    # there today; each must still occur (the suite fails when one is fixed, so that the
    # entry is removed).
    known: dict = field(default_factory=dict)


def scenario(ipv6=False, known=None):
    def register(fn):
        SCENARIOS.append(Scenario(fn.__name__, fn, ipv6, known or {}))
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
