#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""replay's progress line, on a real pseudo-terminal: shown on standard error only when it is
a terminal (frames, bytes, rate; percentage and ETA when the input's size is known, also
for a compressed file), never with -q or when standard error is not a terminal, and erased
before the command ends.

The replay is held back deterministically, not by a large file: standard output is a pipe
the test does not read for a while (or standard input a pipe it feeds slowly), so the run
lasts past the line's first delay however fast the machine is.

Usage: replay_progress.py TCPINSPECT GEN_BENCH_CAPTURE"""
import gzip
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import threading
import time

BIN, GEN = sys.argv[1], sys.argv[2]
HOLD = 1.5  # seconds the output (or input) is held back: past the 0.5 s first delay
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL " + what)


def run(args, stderr_tty=True, stdin_data=None, drain_after=HOLD):
    """Runs tcpinspect with stderr on a pty (or a pipe), stdout a pipe read only after
    `drain_after` seconds; stdin_data: (first part, rest) fed around a pause. Returns
    (exit code, what stderr received)."""
    if stderr_tty:
        master, slave = pty.openpty()
        err = slave
    else:
        master, slave = os.pipe()
        err = slave
    proc = subprocess.Popen([BIN] + args, stdout=subprocess.PIPE, stderr=err,
                            stdin=subprocess.PIPE if stdin_data else subprocess.DEVNULL)
    os.close(slave)
    if stdin_data:
        def feed():
            proc.stdin.write(stdin_data[0])
            proc.stdin.flush()
            time.sleep(HOLD)
            proc.stdin.write(stdin_data[1])
            proc.stdin.close()
        threading.Thread(target=feed, daemon=True).start()
    got = b""
    start = time.monotonic()
    drained = False
    deadline = start + 60
    while time.monotonic() < deadline:
        fds = [master] + ([proc.stdout] if drained else [])
        ready, _, _ = select.select(fds, [], [], 0.05)
        if master in ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the pty's other side closed
                chunk = b""
            if not chunk:
                break
            got += chunk
        if drained and proc.stdout in ready and not proc.stdout.read1(1 << 20):
            pass
        if not drained and time.monotonic() - start >= drain_after:
            drained = True
    proc.stdout.read()
    proc.wait(timeout=60)
    os.close(master)
    return proc.returncode, got.decode("utf-8", "replace")


def lines_of(progress):
    return [p for p in progress.split("\r") if p and p != "\x1b[K"]


with tempfile.TemporaryDirectory() as tmp:
    capture = os.path.join(tmp, "bench.pcap")
    subprocess.run([GEN, capture, "--packets", "20000"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    data = open(capture, "rb").read()
    gz = capture + ".gz"
    with gzip.open(gz, "wb", compresslevel=1) as f:
        f.write(data)
    size_re = r"tcpinspect: [\d,]+ frames, [\d.]+ [kMG]?B of [\d.]+ [kMG]?B \(\d+%\), " \
              r"[\d.]+ [kMG]?B/s, ETA \d+"

    # A regular file (plain, then gzip-compressed): its size is known, so % and ETA.
    for path, threads in ((capture, "2"), (capture, "1"), (gz, "2")):
        rc, err = run(["replay", path, "--format", "jsonl", "--threads", threads])
        shown = lines_of(err)
        check(rc == 0, f"{path} --threads {threads}: exit {rc}")
        check(len(shown) >= 1 and all(re.fullmatch(size_re + r"\S*\x1b\[K", s) for s in shown),
              f"{path} --threads {threads}: progress lines {shown!r}")
        check(err.endswith("\r\x1b[K"), f"{path}: the line is not erased at the end: {err[-30:]!r}")

    # Standard input, fed in two parts: no size, so frames, bytes and rate only.
    half = len(data) // 2
    rc, err = run(["replay", "-", "--format", "summary"], stdin_data=(data[:half], data[half:]),
                  drain_after=0)
    shown = lines_of(err)
    check(rc == 0, f"stdin: exit {rc}")
    check(len(shown) >= 1 and all(
        re.fullmatch(r"tcpinspect: [\d,]+ frames, [\d.]+ [kMG]?B, [\d.]+ [kMG]?B/s\x1b\[K", s)
        for s in shown), f"stdin: progress lines {shown!r}")

    # -q, and standard error that is not a terminal: never a progress line.
    rc, err = run(["replay", capture, "--format", "jsonl", "-q"])
    check(rc == 0 and err == "", f"-q: exit {rc}, stderr {err!r}")
    rc, err = run(["replay", capture, "--format", "jsonl"], stderr_tty=False)
    check(rc == 0 and err == "", f"stderr a pipe: exit {rc}, stderr {err!r}")

print(f"{'FAILED' if failures else 'passed'}: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
