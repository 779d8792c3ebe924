#!/usr/bin/env python3
"""`--format csv` read by Python's csv module (an RFC 4180 reader), over every sample.

For each samples/*.pcap: CRLF line ends, a header row, one row per jsonl `connection`
record with the same values (conn, community_id, client, server, close, inferred, evicted,
conn_state, history, packets and bytes each way, duration, rtt_syn_synack, retransmissions,
state paths joined by '>'), and the same row count as the summary table's connections.

Usage: csv_check.py --tcpinspect BIN --samples DIR
"""
import csv
import io
import json
import pathlib
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from sample_checks import run_over_samples  # noqa: E402

COLUMNS = ["conn", "community_id", "client", "server", "close", "inferred", "evicted",
           "conn_state", "history", "client_packets", "client_bytes", "server_packets",
           "server_bytes", "duration", "rtt_syn_synack", "retransmissions", "client_states",
           "server_states"]


def check(binary: str, pcap: pathlib.Path) -> tuple[int, list[str]]:
    def run(fmt: str) -> str:
        return subprocess_run([binary, "replay", str(pcap), "--format", fmt])

    text = run("csv")
    errors = []
    if text and (not text.endswith("\r\n") or text.replace("\r\n", "").count("\n")):
        errors.append(f"{pcap.name}: lines do not end in CRLF")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or rows[0] != COLUMNS:
        errors.append(f"{pcap.name}: header {rows[:1]}")
        return 0, errors
    conns = [r for r in map(json.loads, run("jsonl").splitlines()) if r["type"] == "connection"]
    if len(rows) - 1 != len(conns):
        errors.append(f"{pcap.name}: {len(rows) - 1} rows for {len(conns)} connections")
    for row, c in zip(rows[1:], conns):
        got = dict(zip(COLUMNS, row))
        rtt = c["rtt_syn_synack"]
        want = {
            "conn": str(c["conn"]), "community_id": c["community_id"], "client": c["client"],
            "server": c["server"], "close": c["close"],
            "inferred": "true" if c["inferred"] else "false",
            "evicted": "true" if c["evicted"] else "false", "conn_state": c["conn_state"],
            "history": c["history"], "client_packets": str(c["client_packets"]),
            "client_bytes": str(c["client_bytes"]), "server_packets": str(c["server_packets"]),
            "server_bytes": str(c["server_bytes"]), "duration": f"{c['duration']:.6f}",
            "rtt_syn_synack": "" if rtt is None else f"{rtt:.6f}",
            "retransmissions": str(c["retransmissions"]),
            "client_states": ">".join(c["client_states"]),
            "server_states": ">".join(c["server_states"]),
        }
        for key, value in want.items():
            if got.get(key) != value:
                errors.append(f"{pcap.name} conn {c['conn']}: {key} is {got.get(key)!r}, "
                              f"expected {value!r}")
    return len(rows) - 1, errors


def subprocess_run(argv: list[str]) -> str:
    # Bytes decoded by hand: text=True would turn the CRLF line ends into LF.
    return subprocess.run(argv, capture_output=True, check=True).stdout.decode()


def main() -> int:
    return run_over_samples(check, "csv rows")


if __name__ == "__main__":
    sys.exit(main())
