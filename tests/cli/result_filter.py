#!/usr/bin/env python3
# The result filter (--conn, --only, --conn-state, --note, --state) in every format, held
# to an oracle computed here from the unfiltered jsonl: the connections shown are exactly
# those whose records match, and each shown connection's lines are the unfiltered run's
# lines, byte for byte and in their order (held events replay as they were).
import json
import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

BIN, SAMPLES = sys.argv[1], Path(sys.argv[2])
failures = 0


def check(name, ok, detail=""):
    global failures
    if not ok:
        failures += 1
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))


def merge(paths, out):
    """Several classic pcaps of one link type, as one capture in timestamp order."""
    header, records = None, []
    for p in paths:
        data = p.read_bytes()
        header = header or data[:24]
        assert data[:24] == header, f"{p}: another link type or format"
        at = 24
        while at < len(data):
            sec, frac, incl, _ = struct.unpack_from("<IIII", data, at)
            records.append(((sec, frac), len(records), data[at:at + 16 + incl]))
            at += 16 + incl
    records.sort()
    out.write_bytes(header + b"".join(r[2] for r in records))


def run(*args, rc=0):
    p = subprocess.run([BIN, "replay", *args], capture_output=True, text=True)
    if p.returncode != rc:
        check(f"exit {' '.join(args)}", False, f"{p.returncode} (want {rc}) {p.stderr.strip()}")
    return p


with tempfile.TemporaryDirectory() as tmp:
    mix = Path(tmp) / "mix.pcap"
    merge([SAMPLES / n for n in ("client_close.pcap", "refused.pcap", "reset_mid.pcap",
                                 "retransmission.pcap", "syn_retransmit.pcap", "time_wait.pcap",
                                 "icmp_unreachable.pcap")], mix)
    cap = str(mix)

    records = [json.loads(l) for l in run(cap, "--format", "jsonl").stdout.splitlines()]
    conns = {r["conn"]: r for r in records if r["type"] == "connection"}
    notes = {c: set() for c in conns}
    for r in records:
        if r["type"] == "segment":
            notes[r["conn"]].update(r["notes"])
        elif r["type"] in ("timer", "icmp") and r.get("conn") is not None:
            notes[r["conn"]].update(r.get("notes", []))
            notes[r["conn"]].add(r.get("note", "icmp_unreachable") if r["type"] == "timer"
                                 else "icmp_unreachable")
    check("the mix has several kinds of ending", len({c["close"] for c in conns.values()}) >= 5,
          str({c["close"] for c in conns.values()}))

    def kind(c, kinds):
        return c["close"] in kinds or ("reset" in kinds and c["close"].startswith("reset_by_"))

    def reached(c, spec):
        side, _, state = spec.rpartition(":")
        paths = {"client": c["client_states"], "server": c["server_states"]}
        return any(state in paths[s] for s in ([side] if side else ["client", "server"]))

    # (options, predicate over a connection record) pairs; AND across options.
    cases = [
        (["--conn", "4"], lambda c: c["conn"] == 4),
        (["--conn", "2,6", "--conn", "7"], lambda c: c["conn"] in (2, 6, 7)),
        (["--only", "reset,refused"], lambda c: kind(c, {"reset", "refused"})),
        (["--only", "timed_out,unreachable"], lambda c: kind(c, {"timed_out", "unreachable"})),
        (["--conn-state", "S0,REJ"], lambda c: c["conn_state"] in ("S0", "REJ")),
        (["--note", "retransmission"], lambda c: "retransmission" in notes[c["conn"]]),
        (["--note", "econnrefused,syn_retransmission"],
         lambda c: notes[c["conn"]] & {"econnrefused", "syn_retransmission"}),
        (["--state", "TIME_WAIT"], lambda c: reached(c, "TIME_WAIT")),
        (["--state", "server:CLOSED"], lambda c: reached(c, "server:CLOSED")),
        (["--only", "graceful", "--state", "client:FIN_WAIT_2"],
         lambda c: kind(c, {"graceful"}) and reached(c, "client:FIN_WAIT_2")),
        (["--only", "reset,refused", "--note", "econnreset", "--conn", "2,3,4"],
         lambda c: kind(c, {"reset", "refused"}) and "econnreset" in notes[c["conn"]]
         and c["conn"] in (2, 3, 4)),
    ]
    for opts, pred in cases:
        name = " ".join(opts)
        want = sorted(c for c, r in conns.items() if pred(r))
        check(f"{name}: the oracle selects some but not all", 0 < len(want) < len(conns),
              str(want))

        out = [json.loads(l) for l in run(cap, "--format", "jsonl", *opts).stdout.splitlines()]
        got = sorted(r["conn"] for r in out if r["type"] == "connection")
        check(f"{name} jsonl connections", got == want, f"{got} != {want}")
        check(f"{name} jsonl: nothing of other connections",
              all(r.get("conn") in want for r in out if r["type"] != "stats"))
        for c in want:
            mine = [r for r in out if r.get("conn") == c]
            theirs = [r for r in records if r.get("conn") == c]
            check(f"{name} jsonl #{c}: the unfiltered records, in order", mine == theirs)
        check(f"{name} jsonl: the whole capture's counts last", out[-1] == records[-1])

        text = run(cap, *opts).stdout.splitlines()
        shown = sorted({int(m) for m in re.findall(r"^\d+  [0-9.]+ #(\d+) ", "\n".join(text), re.M)})
        ends = sorted(int(m) for m in re.findall(r"^── #(\d+) ", "\n".join(text), re.M))
        check(f"{name} text summaries", ends == want, f"{ends} != {want}")
        check(f"{name} text segment lines", shown == want, f"{shown} != {want}")

        summary = run(cap, "--format", "summary", *opts).stdout.splitlines()
        rows = sorted(int(l.split()[0]) for l in summary[1:-1])
        check(f"{name} summary rows", rows == want, f"{rows} != {want}")

        ladder = run(cap, "--format", "ladder", *opts).stdout
        got = sorted(int(m) for m in re.findall(r"^#(\d+)  client", ladder, re.M))
        check(f"{name} ladder", got == want, f"{got} != {want}")

        explain = run(cap, "--format", "explain", *opts).stdout
        got = sorted(int(m) for m in re.findall(r"^Connection #(\d+):", explain, re.M))
        check(f"{name} explain", got == want, f"{got} != {want}")

        html = run(cap, "--format", "html", *opts).stdout
        check(f"{name} html", html.startswith("<!DOCTYPE html>") and len(html) > 1000)

        svg = run(cap, "--format", "svg", *opts).stdout
        m = re.search(r"#(\d+) ", svg)
        check(f"{name} svg draws a matching connection", m and int(m.group(1)) in want,
              svg[:300])

    # The text lines of one connection are the unfiltered run's, in capture order, whether
    # they stream (--conn) or wait for its end (--only).
    # One-time legends ("note: STATE? = unconfirmed ...") come before the first line that
    # needs them, which depends on which connections are shown: compared without them.
    def without_legends(lines):
        return [l for l in lines if not l.startswith("note: ")]

    full = without_legends(run(cap).stdout.splitlines())
    reset = next(c for c, r in conns.items() if r["close"] == "reset_by_server")
    mine = [l for l in full if re.match(rf"^\d+  [0-9.]+ #{reset} ", l)]
    block = full.index(next(l for l in full if l.startswith(f"── #{reset} ")))
    for opts in (["--conn", str(reset)], ["--only", "reset_by_server"]):
        lines = without_legends(run(cap, *opts).stdout.splitlines())
        check(f"{opts} text lines = the unfiltered lines of #{reset}",
              [l for l in lines if re.match(r"^\d+  [0-9.]+ #\d+ ", l)] == mine and len(mine) == 12)
        check(f"{opts} text: its summary block and the capture's footer",
              lines[len(mine):] == full[block:block + 4] + [full[-1]],
              "\n".join(lines[len(mine):]))

    # Bad values: exit 2 and one line naming the valid values.
    for opts, want in [
        (["--only", "rest"], "--only 'rest': not a close kind (one of: open, graceful, "),
        (["--note", "retransmision"], "--note 'retransmision': not a note (one of: "),
        (["--conn-state", "XX"], "--conn-state 'XX': not a Zeek conn_state (one of: S0, "),
        (["--state", "WAIT"], "--state 'WAIT': not a TCP state (one of: CLOSED, LISTEN, "),
        (["--conn", "0"], "--conn '0': not a connection number"),
        (["--conn", "1,,2"], "--conn '1,,2': an empty item in the list"),
    ]:
        p = run(cap, *opts, rc=2)
        lines = p.stderr.splitlines()
        check(f"error {' '.join(opts)}",
              len(lines) == 1 and lines[0].startswith("tcpinspect: " + want) and not p.stdout,
              p.stderr)

print(f"result_filter: {'FAILED' if failures else 'ok'} ({failures} failures)")
sys.exit(1 if failures else 0)
