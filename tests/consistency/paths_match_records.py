#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Segment records and connection records never contradict each other.

The records are the hold stage's output (core/tcp/confirmation.hpp), corrected there before
they are handed on: views draw them as they come, with no fix-up of their own at the
connection's end, so a record that disagrees with the summary's paths is a fault of the
analysis or the hold stage. (A correction that comes after its record went out, past the
hold, is an event of its own that jsonl does not list; the samples have none.)

For every capture given, replays it as jsonl and checks, per connection, that the state
path in its `connection` record (client_states / server_states) is exactly the sequence of
distinct states its segment, timer and icmp records show (each record's *_before, then its
state after; a path may hold a state between one record's before and after, passed
through within that segment, e.g. FIN_WAIT_1 when the crossing FINs of a simultaneous close
take a side from ESTABLISHED to CLOSING), that records of a connection come in frame order,
and that `unconfirmed` only names a side whose state this record changed.

Usage: paths_match_records.py TCPINSPECT CAPTURE...
"""
import json
import subprocess
import sys


def push(path, state, via_ok=False):
    """Appends a record's state; via_ok marks the state after a transition (which may skip
    states the summary path lists in between). Kept as (state, via_ok) pairs."""
    if not path or path[-1][0] != state:
        path.append((state, via_ok))


def matches(summary, records):
    """Whether the records' states walk the summary path, skipping states only inside one
    record's transition."""
    i = 0
    for n, (state, via_ok) in enumerate(records):
        if n == 0:
            if not summary or summary[0] != state:
                return False
            continue
        j = i + 1
        while via_ok and j < len(summary) and summary[j] != state:
            j += 1
        if j >= len(summary) or summary[j] != state:
            return False
        i = j
    return i == len(summary) - 1


def check(tcpinspect, capture):
    out = subprocess.run([tcpinspect, "replay", capture, "--format", "jsonl"],
                         capture_output=True, text=True, check=True).stdout
    seen = {}  # conn -> {"client": [...], "server": [...]}
    last_frame = {}
    errors = []
    for line in out.splitlines():
        rec = json.loads(line)
        kind = rec["type"]
        if kind == "segment":
            conn = rec["conn"]
            paths = seen.setdefault(conn, {"client": [], "server": []})
            for side in ("client", "server"):
                push(paths[side], rec[side + "_before"])
                push(paths[side], rec[side + "_state"], True)
                if side in rec.get("unconfirmed", []) and \
                        rec[side + "_before"] == rec[side + "_state"]:
                    errors.append(f"frame {rec['frame']}: {side} unconfirmed but unchanged")
            if rec["frame"] <= last_frame.get(conn, 0):
                errors.append(f"conn {conn}: frame {rec['frame']} out of order")
            last_frame[conn] = rec["frame"]
        elif kind == "timer":
            paths = seen.setdefault(rec["conn"], {"client": [], "server": []})
            push(paths[rec["side"]], rec["from"])
            push(paths[rec["side"]], rec["to"], True)
        elif kind == "icmp" and rec.get("conn") is not None:
            paths = seen.setdefault(rec["conn"], {"client": [], "server": []})
            for side in ("client", "server"):
                push(paths[side], rec[side + "_state"], True)
        elif kind == "connection":
            conn = rec["conn"]
            paths = seen.get(conn, {"client": [], "server": []})
            for side in ("client", "server"):
                if rec.get("path_truncated"):
                    continue
                if not matches(rec[side + "_states"], paths[side]):
                    shown = [state for state, _ in paths[side]]
                    errors.append(f"conn {conn} {side}: summary path {rec[side + '_states']} "
                                  f"but segment records {shown}")
    return errors


def main():
    tcpinspect, captures = sys.argv[1], sys.argv[2:]
    failed = False
    for capture in captures:
        for e in check(tcpinspect, capture):
            print(f"{capture}: {e}")
            failed = True
    if failed:
        sys.exit(1)
    print(f"ok: {len(captures)} captures, paths agree")


if __name__ == "__main__":
    main()
