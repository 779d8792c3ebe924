#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cross-checks `tcpinspect replay --format jsonl` against tshark, segment by segment.

For every samples/*.pcap (not samples/bad/) it runs

    tcpinspect replay F --format jsonl
    tshark -r F -T fields -E separator=/t -e frame.number -e tcp.flags -e tcp.seq -e tcp.ack
           -e tcp.seq_raw -e tcp.ack_raw -e tcp.len -e tcp.options.sack_le
           -e tcp.options.sack_re -Y "tcp and not icmp and not icmpv6"

and asserts that both see the same TCP segments (same frame numbers) with the same flags, raw
seq/ack, relative seq/ack (tshark's default relative numbers), payload length, relative
SACK block edges (tcp.options.sack_le/re), and the analysis notes that have a tshark
counterpart (keep-alive, zero window, window full, previous segment not captured, fast and
spurious retransmission, zero-window probe and its ACK: the same frames; duplicate ACK and
retransmission: a subset of tshark's). ICMP errors
are left out of the tshark side: tshark dissects the TCP header they quote as if it were a
segment, while tcpinspect reports them as ICMP records. The ack numbers are compared only when
the ACK flag is set: tshark does not report (or reports 0 for) tcp.ack otherwise.

Prints one line per mismatch and, last, exactly "N passed, M failed" (N/M count samples).
Exits 1 if any sample failed. Python 3 standard library only.

Usage: tshark_crosscheck.py --tcpinspect BUILD/cmd/tcpinspect --samples samples
"""
import argparse
import json
import pathlib
import subprocess
import sys

FLAG_BITS = {
    "FIN": 0x001,
    "SYN": 0x002,
    "RST": 0x004,
    "PSH": 0x008,
    "ACK": 0x010,
    "URG": 0x020,
    "ECE": 0x040,
    "CWR": 0x080,
    "AE": 0x100,
}
# tcpinspect's notes that mean what one of tshark's analysis flags means, decided the same
# way: each must mark exactly the same frames.
SAME_NOTES = {
    "keep_alive": "tcp.analysis.keep_alive",
    "zero_window": "tcp.analysis.zero_window",
    "window_full": "tcp.analysis.window_full",
    "previous_segment_not_captured": "tcp.analysis.lost_segment",
    "fast_retransmission": "tcp.analysis.fast_retransmission",
    "spurious_retransmission": "tcp.analysis.spurious_retransmission",
    "zero_window_probe": "tcp.analysis.zero_window_probe",
    "zero_window_probe_ack": "tcp.analysis.zero_window_probe_ack",
}
# Marked on a subset of tshark's frames: a duplicate ACK also needs outstanding data
# (RFC 5681), which Wireshark does not ask for; a segment filling a gap the capture saw is
# out_of_order here, not a retransmission, and a resent SYN is syn_retransmission
# (docs/json.md).
SUBSET_NOTES = {"duplicate_ack": "tcp.analysis.duplicate_ack",
                "retransmission": "tcp.analysis.retransmission"}
TSHARK_FIELDS = ["frame.number", "tcp.flags", "tcp.seq", "tcp.ack", "tcp.seq_raw",
                 "tcp.ack_raw", "tcp.len", "tcp.options.sack_le", "tcp.options.sack_re"]
SACK_COLUMNS = 7  # the SACK edge lists (relative, comma separated) start here
NOTE_COLUMNS = len(TSHARK_FIELDS)  # the analysis flags, in SAME_NOTES then SUBSET_NOTES order
TSHARK_FIELDS += list(SAME_NOTES.values()) + list(SUBSET_NOTES.values())
NOTE_NAMES = list(SAME_NOTES) + list(SUBSET_NOTES)
TIMEOUT_S = 120
MAX_LINES_PER_SAMPLE = 40


class SampleError(Exception):
    """A sample could not be compared at all (tool failed, unparsable output)."""


def flag_names(bits):
    return sorted(name for name, bit in FLAG_BITS.items() if bits & bit)


def run(cmd):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise SampleError(f"{cmd[0]} timed out after {TIMEOUT_S} s")
    except OSError as e:
        raise SampleError(f"cannot run {cmd[0]}: {e}")
    if proc.returncode != 0:
        err = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise SampleError(f"{pathlib.Path(cmd[0]).name} exited {proc.returncode}: {err}")
    return proc.stdout


def parse_int(text, what, frame):
    try:
        return int(text, 0)
    except ValueError:
        raise SampleError(f"tshark frame {frame}: {what} is not a number: {text!r}")


def tshark_segments(tshark, pcap):
    """frame number -> dict(flags, seq, ack, seq_raw, ack_raw, len) as tshark sees it."""
    cmd = [tshark, "-n", "-r", str(pcap), "-T", "fields", "-E", "separator=/t"]
    for field in TSHARK_FIELDS:
        cmd += ["-e", field]
    cmd += ["-Y", "tcp and not icmp and not icmpv6"]
    out = {}
    for line in run(cmd).splitlines():
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != len(TSHARK_FIELDS):
            raise SampleError(f"tshark: unexpected line {line!r}")
        sack_le, sack_re = cols[SACK_COLUMNS], cols[SACK_COLUMNS + 1]
        notes = sorted(name for name, col in zip(NOTE_NAMES, cols[NOTE_COLUMNS:]) if col)
        # A frame with two TCP headers would list both, comma separated; keep the outer one.
        cols = [c.split(",")[0] for c in cols]
        frame = parse_int(cols[0], "frame.number", cols[0])
        flags = parse_int(cols[1], "tcp.flags", frame) & 0x1FF
        seg = {
            "flags": flag_names(flags),
            "seq_raw": parse_int(cols[4], "tcp.seq_raw", frame),
            "rel_seq": parse_int(cols[2], "tcp.seq", frame),
            "len": parse_int(cols[6], "tcp.len", frame),
            "notes": notes,
        }
        if flags & FLAG_BITS["ACK"]:
            seg["ack_raw"] = parse_int(cols[5], "tcp.ack_raw", frame)
            seg["rel_ack"] = parse_int(cols[3], "tcp.ack", frame)
            if sack_le:
                seg["rel_sack"] = [[parse_int(l, "tcp.options.sack_le", frame),
                                    parse_int(r, "tcp.options.sack_re", frame)]
                                   for l, r in zip(sack_le.split(","), sack_re.split(","))]
        out[frame] = seg
    return out


def tcpinspect_segments(tcpinspect, pcap):
    """frame number -> the same dict, from tcpinspect's jsonl segment records."""
    out = {}
    for n, line in enumerate(run([tcpinspect, "replay", str(pcap), "--format", "jsonl"])
                             .splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise SampleError(f"tcpinspect jsonl line {n} is not JSON ({e}): {line[:80]!r}")
        if not isinstance(rec, dict) or rec.get("type") != "segment":
            continue
        try:
            frame = int(rec["frame"])
            flags = rec["flags"]
            if not isinstance(flags, list) or any(f not in FLAG_BITS for f in flags):
                raise SampleError(f"tcpinspect frame {frame}: bad flags {flags!r}")
            seg = {
                "flags": sorted(flags),
                "seq_raw": int(rec["seq"]),
                "rel_seq": int(rec["rel_seq"]),
                "len": int(rec["len"]),
                "notes": sorted(n for n in rec.get("notes", []) if n in NOTE_NAMES),
            }
            if "ACK" in flags:
                seg["ack_raw"] = int(rec["ack"])
                seg["rel_ack"] = int(rec["rel_ack"])
                # SACK edges are in the ack's sequence space: relative to the ack's base.
                base = (seg["ack_raw"] - seg["rel_ack"]) % 2**32
                sack = rec.get("options", {}).get("sack")
                if sack:
                    seg["rel_sack"] = [[(l - base) % 2**32, (r - base) % 2**32]
                                       for l, r in sack]
        except (KeyError, TypeError, ValueError) as e:
            raise SampleError(f"tcpinspect jsonl line {n}: bad segment record ({e!r}): "
                              f"{line[:80]!r}")
        if frame in out:
            raise SampleError(f"tcpinspect: two segment records for frame {frame}")
        out[frame] = seg
    return out


def compare(name, ours, theirs):
    """Returns the list of mismatch lines for one sample."""
    problems = []
    for frame in sorted(set(ours) | set(theirs)):
        if frame not in ours:
            problems.append(f"{name}: frame {frame}: tshark sees a TCP segment, tcpinspect "
                            f"reports none")
            continue
        if frame not in theirs:
            problems.append(f"{name}: frame {frame}: tcpinspect reports a segment tshark "
                            f"does not see")
            continue
        a, b = ours[frame], theirs[frame]
        for key in ("flags", "seq_raw", "ack_raw", "rel_seq", "rel_ack", "len", "rel_sack"):
            if a.get(key) != b.get(key):
                problems.append(f"{name}: frame {frame}: {key}: tcpinspect {a.get(key)} "
                                f"!= tshark {b.get(key)}")
        for note in SAME_NOTES:
            if (note in a["notes"]) != (note in b["notes"]):
                problems.append(f"{name}: frame {frame}: note {note}: tcpinspect "
                                f"{note in a['notes']}, tshark {SAME_NOTES[note]} "
                                f"{note in b['notes']}")
        for note in SUBSET_NOTES:
            if note in a["notes"] and note not in b["notes"]:
                problems.append(f"{name}: frame {frame}: note {note} without tshark's "
                                f"{SUBSET_NOTES[note]}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tcpinspect", required=True, help="path to the tcpinspect binary")
    ap.add_argument("--samples", required=True, help="samples directory")
    ap.add_argument("--tshark", default="tshark", help="tshark binary (default: from PATH)")
    args = ap.parse_args()

    samples = sorted(pathlib.Path(args.samples).glob("*.pcap"))
    if not samples:
        print(f"no samples/*.pcap found in {args.samples}")
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    for pcap in samples:
        try:
            theirs = tshark_segments(args.tshark, pcap)
            ours = tcpinspect_segments(args.tcpinspect, pcap)
            problems = compare(pcap.name, ours, theirs)
            if not theirs:
                problems.append(f"{pcap.name}: tshark sees no TCP segment at all")
        except SampleError as e:
            problems = [f"{pcap.name}: {e}"]
        if problems:
            failed += 1
            for line in problems[:MAX_LINES_PER_SAMPLE]:
                print(line)
            if len(problems) > MAX_LINES_PER_SAMPLE:
                print(f"{pcap.name}: ... and {len(problems) - MAX_LINES_PER_SAMPLE} more "
                      f"mismatches")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
