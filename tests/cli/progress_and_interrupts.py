#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Progress lines and Ctrl-C, through the real binary on loopback (no root needed).

Progress (issue 11): udp-send, udp-recv and probe show a status line on standard error only
when it is a terminal (a pty here), never in a pipe, never with -q. Ctrl-C: a command with a
job of its own (udp-send, probe) prints what it did so far and exits 128 + the signal (130);
one that runs until stopped (udp-recv, echo-server) prints its summary and exits 0.

usage: progress_and_interrupts.py PATH/TO/tcpinspect
"""
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1]
FAILURES = []


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        FAILURES.append(what)


class Run:
    """One tcpinspect process; stderr on a pty (tty=True) or a pipe; stdout a pipe."""

    def __init__(self, args, tty):
        self.master = None
        if tty:
            self.master, slave = os.openpty()
            err = slave
        else:
            err = subprocess.PIPE
        self.proc = subprocess.Popen([BIN] + args, stdout=subprocess.PIPE, stderr=err,
                                     stdin=subprocess.DEVNULL)
        if tty:
            os.close(slave)
        self.err = b""
        self.out = b""

    def _drain_tty(self, seconds):
        end = time.time() + seconds
        while self.master is not None and time.time() < end:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                if self.proc.poll() is not None:
                    continue
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the child closed its end
                chunk = b""
            if not chunk:
                os.close(self.master)
                self.master = None
                break
            self.err += chunk

    def line(self, pattern, seconds=10):
        """Reads stdout until a line matches; returns the match."""
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.1)
            if ready:
                text = self.proc.stdout.readline()
                if not text:
                    break
                self.out += text
                m = re.search(pattern, text.decode())
                if m:
                    return m
            self._drain_tty(0)
        raise SystemExit(f"FAIL: no line /{pattern}/ from {self.proc.args}: {self.out!r}")

    def wait(self, seconds=20):
        end = time.time() + seconds
        while self.proc.poll() is None and time.time() < end:
            self._drain_tty(0.1)
        if self.proc.poll() is None:
            self.proc.kill()
            raise SystemExit(f"FAIL: {self.proc.args} still running after {seconds} s")
        self._drain_tty(1)
        if self.master is not None:
            os.close(self.master)
            self.master = None
        self.out += self.proc.stdout.read()
        if self.proc.stderr:
            self.err += self.proc.stderr.read()
        return self.proc.returncode


def received_some(directory, min_bytes, seconds=20):
    """Waits until a partial file in directory holds data at offset min_bytes.

    The receiver preallocates its partial file at the full size (posix_fallocate), so the
    size says nothing; the source is random, and stop-and-wait writes in order, so 16 bytes
    that are no longer zero just before min_bytes mean everything before them has arrived."""
    end = time.time() + seconds
    while time.time() < end:
        for name in os.listdir(directory):
            try:
                with open(os.path.join(directory, name), "rb") as f:
                    f.seek(min_bytes - 16)
                    if f.read(16).strip(b"\0"):
                        return
            except FileNotFoundError:
                pass
        time.sleep(0.005)
    raise SystemExit(f"FAIL: no partial file with {min_bytes} bytes written in {directory} "
                     f"in {seconds} s")


def transfer(tmp, size, tty_send, tty_recv, send_args=(), recv_args=(), interrupt_after_bytes=None):
    src = os.path.join(tmp, "src.bin")
    with open(src, "wb") as f:
        f.write(os.urandom(1 << 16) * (size >> 16))
    dst = tempfile.mkdtemp(dir=tmp)
    recv = Run(["udp-recv", "--bind", "127.0.0.1", "--port", "0", "--dir", dst, "--count", "1",
                *recv_args], tty_recv)
    port = recv.line(r"listening on 127\.0\.0\.1:(\d+)").group(1)
    send = Run(["udp-send", src, "127.0.0.1:" + port, *send_args], tty_send)
    if interrupt_after_bytes is not None:
        # Interrupt half-way, whatever the machine's speed: once the receiver holds part of
        # the file, freeze it (the sender then cannot finish), then Ctrl-C the sender.
        received_some(dst, interrupt_after_bytes)
        recv.proc.send_signal(signal.SIGSTOP)
        send.proc.send_signal(signal.SIGINT)
    send_rc = send.wait(60)
    if interrupt_after_bytes is not None:  # the receiver runs on (--count 1 is not reached)
        recv.proc.send_signal(signal.SIGCONT)
        recv.proc.send_signal(signal.SIGINT)
    recv_rc = recv.wait(20)
    return send, send_rc, recv, recv_rc, dst


PROGRESS_SEND = re.compile(rb"\r[\d.]+ of [\d.]+ MiB, [\d.]+ MB/s, \d+ retransmissions, ETA ")
PROGRESS_RECV = re.compile(rb"\rreceiving 1: [\d.]+ of [\d.]+ MiB, .*retransmissions, ETA ")
PROGRESS_PROBE = re.compile(rb"\rprobe: \d+/30 sent, \d+ open")

with tempfile.TemporaryDirectory() as tmp:
    # 64 MiB, stop-and-wait: long enough (well over 200 ms) for the receiver's line too.
    slow = ["--window", "1", "--chunk", "8000"]
    s, s_rc, r, r_rc, _ = transfer(tmp, 16 << 20, True, True, slow)
    check(s_rc == 0 and r_rc == 0, f"transfer on ttys: exit {s_rc}/{r_rc}")
    check(PROGRESS_SEND.search(s.err) is not None,
          f"udp-send shows bytes, rate, retransmissions and ETA on a tty: {s.err[-200:]!r}")
    check(PROGRESS_RECV.search(r.err) is not None,
          f"udp-recv shows its line on a tty: {r.err[-200:]!r}")
    check(b"sha256" in s.out and b"\r" not in s.out, "udp-send's report stays on stdout, clean")

    s, s_rc, r, r_rc, _ = transfer(tmp, 16 << 20, False, False, slow)
    check(s_rc == 0 and r_rc == 0, f"transfer on pipes: exit {s_rc}/{r_rc}")
    check(b"\r" not in s.err and b"ETA" not in s.err, f"udp-send: no progress in a pipe: {s.err!r}")
    check(b"\r" not in r.err and b"receiving" not in r.err,
          f"udp-recv: no progress in a pipe: {r.err!r}")

    s, s_rc, r, r_rc, _ = transfer(tmp, 16 << 20, True, True, [*slow, "-q"], ["-q"])
    check(s_rc == 0 and r_rc == 0, f"transfer with -q on ttys: exit {s_rc}/{r_rc}")
    check(b"ETA" not in s.err and b"ETA" not in r.err,
          f"-q: no progress on a tty: {s.err!r} {r.err!r}")

    # Ctrl-C half-way through udp-send: what was acknowledged so far, exit 130; the receiver,
    # stopped in turn, prints its summary, exits 0 and leaves no partial file behind.
    s, s_rc, r, r_rc, dst = transfer(tmp, 64 << 20, True, False, slow, interrupt_after_bytes=1 << 20)
    m = re.search(rb"^interrupted: (\d+) of (\d+) bytes of \S+ acknowledged by 127\.0\.0\.1:\d+ "
                  rb"in [\d.]+ s, \d+ retransmissions; the receiver was told to discard the file$",
                  s.out, re.M)
    check(s_rc == 130, f"interrupted udp-send exits 130 (got {s_rc}): {s.out!r} {s.err[-300:]!r}")
    # The receiver had written 1 MiB before the stop, so at least half of that is acknowledged
    # (a report from a stale progress snapshot said 8000 here).
    check(m is not None and (1 << 19) <= int(m.group(1)) < int(m.group(2)) == 64 << 20,
          f"interrupted udp-send reports what was acknowledged: {s.out!r}")
    check(r_rc in (0, 1) and re.search(rb"^0 transfers completed, \d+ failed", r.out, re.M),
          f"udp-recv stopped by SIGINT prints its summary: exit {r_rc}, {r.out!r}")
    check(os.listdir(dst) == [], f"no partial file left: {os.listdir(dst)}")

    # udp-recv with nothing under way: SIGINT is its normal end, exit 0.
    recv = Run(["udp-recv", "--bind", "127.0.0.1", "--port", "0", "--dir", tmp], False)
    recv.line(r"listening on")
    recv.proc.send_signal(signal.SIGINT)
    rc = recv.wait()
    check(rc == 0 and b"0 transfers completed, 0 failed" in recv.out,
          f"idle udp-recv stopped by SIGINT: exit {rc}, {recv.out!r}")

    # echo-client's load mode, interrupted: the load report so far, exit 130; then the
    # echo-server: SIGINT ends it with its report, exit 0.
    echo = Run(["echo-server", "--bind", "127.0.0.1", "--port", "0", "-q"], False)
    port = echo.line(r"listening on 127\.0\.0\.1:(\d+)").group(1)
    load = Run(["echo-client", "127.0.0.1:" + port, "--connections", "4", "--messages",
                "100000000", "--size", "64"], False)
    time.sleep(0.7)
    load.proc.send_signal(signal.SIGINT)
    rc = load.wait()
    m = re.search(rb"^connections=4/4 messages=(\d+)/400000000 .* \(interrupted\)$", load.out, re.M)
    check(rc == 130 and m is not None and int(m.group(1)) > 0,
          f"interrupted echo-client load reports the round trips so far, exit 130 (got {rc}): "
          f"{load.out!r} {load.err!r}")
    echo.proc.send_signal(signal.SIGINT)
    rc = echo.wait()
    check(rc == 0 and len(echo.out.strip().splitlines()) >= 2,
          f"echo-server stopped by SIGINT prints its report: exit {rc}, {echo.out!r}")

# probe (dry run: nothing is sent, so no root): the line on a tty only, and not with -q.
for tty, extra, want in ((True, [], True), (False, [], False), (True, ["-q"], False)):
    p = Run(["probe", "--dry-run", *extra, "127.0.0.1", "1-30"], tty)
    rc = p.wait(30)
    found = PROGRESS_PROBE.search(p.err) is not None
    check(rc == 0 and found == want,
          f"probe --dry-run {' '.join(extra)} on a {'tty' if tty else 'pipe'}: progress "
          f"{'shown' if found else 'absent'} (exit {rc})")

sys.exit(1 if FAILURES else 0)
