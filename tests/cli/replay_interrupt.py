#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Ctrl-C (SIGINT, SIGTERM, SIGHUP) during `replay` keeps what was analysed: a replay blocked
on a FIFO or a standard-input pipe that stays open is stopped by the signal, prints the
connection records and stats of the frames it was fed, and exits 128 + the signal, without
an error about a truncated file; on both thread paths. A reader that goes away
(`replay ... | head -1`) still ends the replay quietly (SIGPIPE, as before).

Usage: replay_interrupt.py TCPINSPECT SAMPLES_DIR"""
import glob
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

BIN, SAMPLES = sys.argv[1], sys.argv[2]
SAMPLE = os.path.join(SAMPLES, "client_close.pcap")  # one connection, 10 segments
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL " + what)


def wait_for_output(path, proc, needle, limit_s=10.0):
    """Waits until `path` holds `needle` (the replay has analysed what it was fed)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and proc.poll() is None:
        with open(path, "rb") as f:
            if needle in f.read():
                return True
        time.sleep(0.05)
    return False


def interrupted_replay(threads, via, sig):
    """Feeds the whole sample but keeps the input open, so the replay blocks reading; then
    sends `sig`. Returns (exit code, stdout lines, stderr)."""
    with open(SAMPLE, "rb") as f:
        data = f.read()
    name = "threads=%d %s %s" % (threads, via, signal.Signals(sig).name)
    with tempfile.TemporaryDirectory() as tmp:
        out_path = os.path.join(tmp, "out")
        args = [BIN, "replay", "--format", "jsonl", "--threads", str(threads), "-q"]
        with open(out_path, "wb") as out:
            if via == "fifo":
                fifo = os.path.join(tmp, "in.pcap")
                os.mkfifo(fifo)
                proc = subprocess.Popen(args + [fifo], stdout=out, stderr=subprocess.PIPE)
                writer = open(fifo, "wb")  # blocks until replay opens it
            else:
                proc = subprocess.Popen(args + ["-"], stdin=subprocess.PIPE, stdout=out,
                                        stderr=subprocess.PIPE)
                writer = proc.stdin
            try:
                writer.write(data)
                writer.flush()
                # jsonl writes segment records as frames are analysed (stdout is a file,
                # so they may sit in the buffer): wait a moment for the reads instead.
                time.sleep(0.7)
                check(proc.poll() is None, name + ": replay waits for more input")
                proc.send_signal(sig)
                try:
                    _, err = proc.communicate(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    _, err = proc.communicate()
                    check(False, name + ": replay did not stop within 10 s of the signal")
            finally:
                writer.close()
        with open(out_path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    return name, proc.returncode, lines, err.decode(errors="replace")


def main():
    if not os.path.exists(SAMPLE):
        print("missing sample " + SAMPLE)
        return 1
    expected = subprocess.run([BIN, "replay", "--format", "jsonl", SAMPLE],
                              capture_output=True, text=True, check=True).stdout.splitlines()
    expected_connection = [l for l in expected if '"type":"connection"' in l]
    check(len(expected_connection) == 1, "the sample has one connection record")
    cases = [(t, via, signal.SIGINT) for t in (1, 2) for via in ("fifo", "stdin")]
    cases += [(2, "fifo", signal.SIGTERM), (1, "stdin", signal.SIGHUP)]
    for threads, via, sig in cases:
        name, code, lines, err = interrupted_replay(threads, via, sig)
        check(code == 128 + sig, "%s: exit %d, expected %d" % (name, code, 128 + sig))
        check(err == "", "%s: nothing on stderr (no truncation error), got %r" % (name, err))
        check("Traceback" not in err and "AddressSanitizer" not in err, name + ": no crash")
        records = [json.loads(l) for l in lines]
        types = [r.get("type") for r in records]
        check(types.count("segment") == 10, "%s: 10 segment records, got %d"
              % (name, types.count("segment")))
        # The connection record is the one the whole capture gives: every frame was fed.
        check([l for l in lines if '"type":"connection"' in l] == expected_connection,
              name + ": the connection record of what was fed")
        check(types[-1:] == ["stats"] and records[-1].get("frames") == 10,
              "%s: stats last, frames 10: %r" % (name, records[-1:]))

    # A reader that goes away: as before, replay ends quietly (no message on stderr).
    for threads in (1, 2):
        pipeline = subprocess.run(
            ["bash", "-c", '"$0" replay --threads %d "$1" | head -1; echo "${PIPESTATUS[0]}"'
             % threads, BIN, SAMPLE], capture_output=True, text=True, timeout=30)
        out = pipeline.stdout.splitlines()
        check(len(out) == 2, "threads=%d | head -1: one line shown, got %r" % (threads, out))
        check(pipeline.stderr == "", "threads=%d | head -1: quiet, stderr %r"
              % (threads, pipeline.stderr))
        # 141: killed by SIGPIPE, 0: all written before head left (a small sample).
        check(out[-1:] in (["0"], ["141"]), "threads=%d | head -1: replay exit %r"
              % (threads, out[-1:]))

    # More output than a pipe holds (every sample, twice), a reader that leaves after 10
    # bytes: replay is ended by SIGPIPE (exit 141), quietly, as before.
    captures = sorted(glob.glob(os.path.join(SAMPLES, "*.pcap"))) * 2
    for threads in (1, 2):
        pipeline = subprocess.run(
            ["bash", "-c", '"$0" replay --threads %d "$@" | (sleep 0.3; head -c 10 >/dev/null);'
             ' echo "${PIPESTATUS[0]}"' % threads, BIN] + captures,
            capture_output=True, text=True, timeout=60)
        check(pipeline.stdout == "141\n" and pipeline.stderr == "",
              "threads=%d, reader leaves: exit %r (expected 141), stderr %r"
              % (threads, pipeline.stdout, pipeline.stderr))

    print("replay_interrupt: %d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
