# SPDX-License-Identifier: MIT
"""Two network namespaces joined by a veth pair, with real Linux sockets in them.

A Lab owns: the namespaces "c" and "s" (unique names per run), the veth pair, IPv4 and
IPv6 addresses, nftables drop rules, a tcpdump capture, and the checkpoints where `ss`
in both namespaces is recorded as the truth. Sockets are made by this process itself:
setns() into the namespace, socket(), setns() back — a socket stays in the namespace it
was created in, so the dialogue runs without helper processes. Everything started here is
stopped by PID, and the namespaces are deleted on close() even after a failure.
"""
import ctypes
import os
import signal
import socket
import struct
import subprocess
import time
from contextlib import contextmanager

import pcap_peek
from kernel_state import kernel_endpoint_state, normalise, parse_ss

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)

# Frames this close to a checkpoint's ss snapshot make it ambiguous (the segment may or
# may not have been processed when ss looked): the scenario's timing failed, retry it.
QUIET_GUARD_S = 0.02


class TimingError(Exception):
    """The scenario did not unfold as scripted (a race): retry it; never a verdict."""


class Endpoint:
    """One end of a TCP connection as the kernel names it: namespace, local, peer."""

    def __init__(self, lab, ns, sock, local, peer):
        self.lab, self.ns, self.sock, self.local, self.peer = lab, ns, sock, local, peer

    def send(self, data):
        self.sock.sendall(data)

    def recv_exactly(self, n, timeout=3.0):
        self.sock.settimeout(timeout)
        got = b""
        while len(got) < n:
            b = self.sock.recv(n - len(got))
            if not b:
                raise TimingError(f"peer closed after {len(got)} of {n} bytes")
            got += b
        return got

    def recv_eof(self, timeout=3.0):
        self.sock.settimeout(timeout)
        if self.sock.recv(100) != b"":
            raise TimingError("expected end of stream")

    def shutdown_write(self):
        self.sock.shutdown(socket.SHUT_WR)

    def close(self):
        self.sock.close()

    def abort(self):
        """close() with SO_LINGER 0: the kernel sends RST instead of FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def state(self):
        """The kernel's state of this endpoint now (ss in its namespace)."""
        lines = parse_ss(self.lab.ss(self.ns))
        return kernel_endpoint_state(lines, self.local, self.peer, had_full_socket=True)


class Lab:
    def __init__(self, tcpinspect, workdir, ipv6=False):
        tag = f"{os.getpid() % 100000}{int(time.monotonic() * 1000) % 1000}"
        self.tcpinspect = tcpinspect
        self.workdir = workdir
        self.ipv6 = ipv6
        self.family = socket.AF_INET6 if ipv6 else socket.AF_INET
        self.names = {"c": f"ti-k{tag}-c", "s": f"ti-k{tag}-s"}
        self.veth = {"c": f"tik{tag}c", "s": f"tik{tag}s"}
        self.addr = (
            {"c": "fd00:209::1", "s": "fd00:209::2"} if ipv6 else {"c": "10.209.0.1", "s": "10.209.0.2"}
        )
        self.pids = []
        self.capture = None
        self.pcap = os.path.join(workdir, "capture.pcap")
        self.checkpoints = []
        self.full_sockets = set()  # (local, peer) known to have been a full socket
        self.drop_chains = 0
        self.wire_expectations = []
        self.active_openers = set()  # normalised local addresses that called connect()
        try:
            self._create()
        except BaseException:
            self.close()
            raise

    # --- setup and teardown -------------------------------------------------------------
    def _run(self, *args, input=None):
        r = subprocess.run(args, input=input, capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(args)}: {r.stderr.strip()}")
        return r.stdout

    def _create(self):
        c, s = self.names["c"], self.names["s"]
        self._run("ip", "netns", "add", c)
        self._run("ip", "netns", "add", s)
        self._run("ip", "link", "add", self.veth["c"], "netns", c, "type", "veth", "peer", "name",
                  self.veth["s"], "netns", s)
        for side in ("c", "s"):
            ns, dev = self.names[side], self.veth[side]
            self._run("ip", "-n", ns, "link", "set", "lo", "up")
            self._run("ip", "-n", ns, "addr", "add", f"10.209.0.{1 if side == 'c' else 2}/24", "dev", dev)
            self._run("ip", "-n", ns, "addr", "add", f"fd00:209::{1 if side == 'c' else 2}/64", "dev", dev,
                      "nodad")
            # No duplicate address detection: a tentative link-local address would hold
            # the first segments back for a second while neighbour discovery waits.
            self.exec(side, "sysctl", "-qw", f"net.ipv6.conf.{dev}.accept_dad=0")
            self._run("ip", "-n", ns, "link", "set", dev, "up")
            # Namespaced defaults, pinned so that the host's settings do not leak in.
            self.sysctl(side, "net.ipv4.tcp_syncookies", 1)
            self.sysctl(side, "net.ipv4.tcp_fastopen", 1)
            self.sysctl(side, "net.ipv4.tcp_timestamps", 1)
        self._wait_for_link()

    def _wait_for_link(self):
        """A new veth carries nothing until the kernel's link watch has activated it (up to
        a second later), and the first segment of a scenario would wait for neighbour
        discovery: exchange a UDP datagram both ways over IPv4 and IPv6 first (bounded),
        before any capture starts."""
        for family, v6 in ((socket.AF_INET, False), (socket.AF_INET6, True)):
            socks = {}
            for side in ("c", "s"):
                with self.inside(side):
                    socks[side] = socket.socket(family, socket.SOCK_DGRAM)
                socks[side].bind((self.addr_of(v6, side), 0))
                socks[side].settimeout(0.1)
            try:
                for src, dst in (("c", "s"), ("s", "c")):
                    self._udp_until_received(socks[src], socks[dst])
            finally:
                for sock in socks.values():
                    sock.close()

    def _udp_until_received(self, src, dst):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            src.sendto(b"warm-up", dst.getsockname()[:2])
            try:
                if dst.recv(100) == b"warm-up":
                    return
            except socket.timeout:
                pass
        raise RuntimeError("the veth pair carries no datagram after 5 s")

    def addr_of(self, v6, side):
        return f"fd00:209::{1 if side == 'c' else 2}" if v6 else f"10.209.0.{1 if side == 'c' else 2}"

    def close(self):
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for ns in self.names.values():
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=10)

    # --- namespace plumbing -------------------------------------------------------------
    @contextmanager
    def inside(self, side):
        """Runs the block in namespace `side` (this thread only)."""
        own = os.open("/proc/self/ns/net", os.O_RDONLY)
        target = os.open(f"/run/netns/{self.names[side]}", os.O_RDONLY)
        try:
            if _libc.setns(target, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns")
            yield
        finally:
            _libc.setns(own, CLONE_NEWNET)
            os.close(own)
            os.close(target)

    def exec(self, side, *args, input=None):
        return self._run("ip", "netns", "exec", self.names[side], *args, input=input)

    def sysctl(self, side, key, value):
        self.exec(side, "sysctl", "-qw", f"{key}={value}")

    def ss(self, side):
        # ss started from inside the namespace (it inherits this thread's): `ip netns exec`
        # would add tens of milliseconds of mount setup to every checkpoint.
        with self.inside(side):
            r = subprocess.run(["ss", "-tanH"], capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            raise RuntimeError(f"ss in {self.names[side]}: {r.stderr.strip()}")
        return r.stdout

    # --- sockets ----------------------------------------------------------------------------
    def socket(self, side):
        with self.inside(side):
            return socket.socket(self.family, socket.SOCK_STREAM)

    def sockaddr(self, side, port):
        return (self.addr[side], port)

    def listen(self, port=5001, side="s", backlog=8, fastopen=False, rcvbuf=None):
        s = self.socket(side)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if fastopen:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 8)
        s.bind(self.sockaddr(side, port))
        s.listen(backlog)
        return s

    def accept(self, listener, side="s", timeout=3.0):
        listener.settimeout(timeout)
        try:
            conn, peer = listener.accept()
        except socket.timeout:
            raise TimingError("accept() timed out")
        local = conn.getsockname()
        ep = Endpoint(self, side, conn, self._name(local), self._name(peer))
        self.note_full(ep)
        return ep

    def note_full(self, ep):
        self.full_sockets.add((normalise(ep.local), normalise(ep.peer)))

    def connect(self, port=5001, side="c", to="s", sport=0, blocking=True, timeout=3.0):
        """Starts connect(); with blocking=False returns at once (SYN sent)."""
        s = self.socket(side)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(self.sockaddr(side, sport))
        if blocking:
            s.settimeout(timeout)
            try:
                s.connect(self.sockaddr(to, port))
            except socket.timeout:
                raise TimingError("connect() timed out")
        else:
            s.setblocking(False)
            s.connect_ex(self.sockaddr(to, port))
            s.setblocking(True)
        ep = Endpoint(self, side, s, self._name(s.getsockname()), self._name(self.sockaddr(to, port)))
        self.note_full(ep)
        self.active_openers.add(normalise(ep.local))
        return ep

    def far_end(self, ep):
        """The other end of `ep`'s connection, to name it before accept() returns."""
        return Endpoint(self, "s" if ep.ns == "c" else "c", None, ep.peer, ep.local)

    def wrap(self, side, sock, peer_side=None, peer_port=None):
        """An Endpoint for a socket made by hand (connected by sendto(MSG_FASTOPEN))."""
        peer = self.sockaddr(peer_side, peer_port) if peer_side else sock.getpeername()
        ep = Endpoint(self, side, sock, self._name(sock.getsockname()), self._name(peer))
        self.note_full(ep)
        self.active_openers.add(normalise(ep.local))
        return ep

    def _name(self, sockaddr):
        host, port = sockaddr[0], sockaddr[1]
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    # --- nftables -------------------------------------------------------------------------
    def drop(self, side, hook, match, count=None):
        """Drops packets matching `match` (nft syntax) at `hook` (input/output) of namespace
        `side`: the first `count` of them, or all. Each rule is its own base chain, so the
        accept of one does not end the others."""
        self.drop_chains += 1
        k = self.drop_chains
        lines = [f"table inet drop{k} {{"]
        body = []
        if count is None:
            body.append(f"{match} counter drop")
        else:
            for i in range(1, count + 1):
                lines.append(f"  set n{i} {{ type inet_proto; flags dynamic; }}")
            body.append(f"{match} meta l4proto @n{count} accept")
            for i in range(count - 1, 0, -1):
                body.append(f"{match} meta l4proto @n{i} add @n{i + 1} {{ meta l4proto }} counter drop")
            body.append(f"{match} add @n1 {{ meta l4proto }} counter drop")
        lines.append(f"  chain c {{\n    type filter hook {hook} priority {k};")
        lines += [f"    {b}" for b in body]
        lines.append("  }\n}")
        self.exec(side, "nft", "-f", "-", input="\n".join(lines) + "\n")
        return f"drop{k}"

    # --- capture ------------------------------------------------------------------------
    def start_capture(self, side="c", bpf="tcp"):
        err = open(os.path.join(self.workdir, "tcpdump.err"), "w")
        p = subprocess.Popen(
            ["ip", "netns", "exec", self.names[side], "tcpdump", "-i", self.veth[side], "-n",
             "-U", "--immediate-mode", "-B", "32768", "-Z", "root",
             "--time-stamp-precision=nano", "-w", self.pcap, bpf],
            stdout=subprocess.DEVNULL, stderr=err)
        self.pids.append(p.pid)
        self.capture = p
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with open(err.name) as f:
                if "listening on" in f.read():
                    time.sleep(0.05)
                    return
            if p.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError(f"tcpdump did not start: {open(err.name).read().strip()}")

    def stop_capture(self):
        time.sleep(0.05)
        self.capture.send_signal(signal.SIGINT)
        try:
            self.capture.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.capture.kill()
            self.capture.wait()
            raise RuntimeError("tcpdump did not stop on SIGINT")
        with open(os.path.join(self.workdir, "tcpdump.err")) as f:
            report = f.read()
        dropped = [line for line in report.splitlines() if line.endswith("dropped by kernel")]
        if not dropped or not dropped[0].startswith("0 "):
            raise TimingError(f"capture incomplete: {' '.join(dropped) or report.strip()}")

    # --- injection ------------------------------------------------------------------------
    def next_seq(self, ep):
        """SND.NXT of `ep` as the capture so far shows it."""
        time.sleep(0.05)
        return pcap_peek.next_seq(self.pcap, ep.local)

    def craft(self, side, *args):
        """Sends one segment with `tcpinspect craft --send` from namespace `side`."""
        self.exec(side, self.tcpinspect, "craft", "--send", *map(str, args))

    # --- checkpoints ---------------------------------------------------------------------
    def checkpoint(self, label, expect=None, settle=0.1, skip=None):
        """Records `ss` in both namespaces as the truth at this moment. `expect` maps
        Endpoints to the kernel state the script means to have reached (else TimingError);
        `skip` maps Endpoints to why their state is not observable here."""
        time.sleep(settle)
        t0 = time.time()
        ss = {side: parse_ss(self.ss(side)) for side in ("c", "s")}
        t1 = time.time()
        for side_rows in ss.values():
            for state, loc, pe in side_rows:
                if state not in ("LISTEN", "SYN_RCVD", "CLOSED"):
                    self.full_sockets.add((loc, pe))
        cp = {"label": label, "t0": t0, "t1": t1, "ss": ss,
              "skip": {(normalise(e.local), normalise(e.peer)): why for e, why in (skip or {}).items()},
              "full": set(self.full_sockets)}
        for ep, want in (expect or {}).items():
            side_lines = ss[ep.ns]
            full = (normalise(ep.local), normalise(ep.peer)) in cp["full"]
            got = kernel_endpoint_state(side_lines, ep.local, ep.peer, full)
            if got != want:
                raise TimingError(f"checkpoint '{label}': kernel has {ep.local} in {got}, "
                                  f"script meant {want}")
        self.checkpoints.append(cp)
        return cp

    def expect_wire(self, what, predicate):
        """After the capture: `predicate(segments)` must hold, or the scenario did not
        produce what it is about (its timing failed). Checked on the raw capture, not
        through tcpinspect."""
        self.wire_expectations.append((what, predicate))

    def check_wire(self):
        segments = list(pcap_peek.tcp_segments(self.pcap))
        for what, predicate in self.wire_expectations:
            if not predicate(segments):
                raise TimingError(f"the capture does not show {what}")

    def wait_for(self, ep, state, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ep.state() == state:
                return
            time.sleep(0.05)
        raise TimingError(f"{ep.local} did not reach {state} within {timeout} s (is {ep.state()})")
