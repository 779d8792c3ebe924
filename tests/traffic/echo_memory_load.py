#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Load test of echo-server's memory and descriptor bounds, on loopback.

200 clients send up to 1 MiB each and never read their replies, while `echo-client`'s load
mode runs 20 well-behaved connections alongside. The server runs with --buffer-budget 16
(MiB). Asserts that the server's resident memory stays within the budget plus a fixed
allowance, that its descriptors stay within one per client plus a few, that it shed slow
readers (each logged, counted in the report), and that every well-behaved round trip
completed. Bounded: at most 30 s of sending, then SIGTERM.

usage: echo_memory_load.py PATH/TO/tcpinspect
"""
import os
import re
import signal
import socket
import subprocess
import sys
import time

SLOW_CLIENTS = 200
SEND_EACH = 1 << 20
BUDGET_MIB = 16
# Beyond the budget: code, libraries, the 64 KiB read buffer, connection records, and
# malloc's arenas. Without a budget the same load holds 200 x ~320 KiB = ~64 MiB.
ALLOWANCE_MIB = 12
SEND_SECONDS = 30


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def main():
    binary = sys.argv[1]
    server = subprocess.Popen(
        [binary, "echo-server", "--bind", "127.0.0.1", "--port", "0", "--buffer-budget",
         str(BUDGET_MIB), "-q"], stdout=subprocess.PIPE, text=True)
    good = None
    slow = []
    try:
        first = server.stdout.readline()
        m = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", first)
        if not m:
            fail(f"server's first line: {first!r}")
        port = int(m.group(1))
        base_rss, base_fds = rss_kib(server.pid), fd_count(server.pid)

        for _ in range(SLOW_CLIENTS):
            s = socket.socket()
            # A small receive window: the server's replies back up at once.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect(("127.0.0.1", port))
            s.setblocking(False)
            slow.append(s)
        good = subprocess.Popen(
            [binary, "echo-client", f"127.0.0.1:{port}", "--connections", "20", "--messages",
             "200", "--size", "1000", "--timeout", "20", "--duration", "40"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        chunk = bytes(65536)
        sent = [0] * SLOW_CLIENTS
        reset = 0
        peak_rss = peak_fds = 0
        started = last_progress = time.monotonic()
        while time.monotonic() - started < SEND_SECONDS:
            progress = False
            for i, s in enumerate(slow):
                if s is None or sent[i] >= SEND_EACH:
                    continue
                try:
                    sent[i] += s.send(chunk[:SEND_EACH - sent[i]])
                    progress = True
                except BlockingIOError:
                    pass
                except OSError:  # shed: the server closed it with RST
                    s.close()
                    slow[i] = None
                    reset += 1
            peak_rss = max(peak_rss, rss_kib(server.pid))
            peak_fds = max(peak_fds, fd_count(server.pid))
            now = time.monotonic()
            if progress:
                last_progress = now
            elif good.poll() is not None and now - last_progress > 1.0:
                break  # the slow clients are stuck and the good ones are done
            else:
                time.sleep(0.02)

        out, err = good.communicate(timeout=30)
        if good.returncode != 0:
            fail(f"well-behaved clients failed ({good.returncode}): {out} {err}")
        if not out.startswith("connections=20/20 messages=4000/4000 bytes=4000000 "):
            fail(f"well-behaved clients: {out}")
        if " errors=0 mismatches=0" not in out:
            fail(f"well-behaved clients: {out}")

        server.send_signal(signal.SIGTERM)
        log, _ = server.communicate(timeout=30)
        report = re.search(r"^shutdown: accepted=(\d+) .* shed=(\d+)$", log, re.M)
        if not report:
            fail(f"no shed count in the report (pushed {sum(sent)} bytes, peak RSS {peak_rss} KiB):\n{log[-2000:]}")
        shed = int(report.group(2))
        shed_lines = len(re.findall(r"^shed 127\.0\.0\.1:\d+: slowest reader ", log, re.M))
        grown = (peak_rss - base_rss) / 1024
        print(f"pushed {sum(sent) / 2**20:.1f} MiB from {SLOW_CLIENTS} non-reading clients; "
              f"shed {shed} (clients saw {reset} resets); server RSS {base_rss / 1024:.1f} -> "
              f"peak {peak_rss / 1024:.1f} MiB (+{grown:.1f}, budget {BUDGET_MIB}); "
              f"fds {base_fds} -> peak {peak_fds}; good clients: {out.strip()}")
        if shed == 0 or shed_lines != shed:
            fail(f"shed={shed} but {shed_lines} 'shed' lines")
        # Under AddressSanitizer freed buffers wait in its quarantine (256 MiB by default)
        # and every allocation has redzones, so resident memory says nothing about the
        # budget there; the shedding, descriptor and good-client checks still hold.
        if os.environ.get("TCPINSPECT_SANITIZED") != "1" and grown > BUDGET_MIB + ALLOWANCE_MIB:
            fail(f"server memory grew {grown:.1f} MiB, over {BUDGET_MIB} + {ALLOWANCE_MIB}")
        if peak_fds > base_fds + SLOW_CLIENTS + 20 + 4:
            fail(f"server held {peak_fds} descriptors (baseline {base_fds})")
    finally:
        for s in slow:
            if s is not None:
                s.close()
        for p in (good, server):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
    print("ok: echo-server under load stays within its buffer budget and descriptor count")


if __name__ == "__main__":
    main()
