#!/usr/bin/env python3
"""`--format zeek` read the way zeek-cut reads a conn.log, over every sample.

For each samples/*.pcap:
- the header is Zeek's ASCII writer's (#separator \\x09, #set_separator, #empty_field,
  #unset_field, #path conn, #open, #fields, #types, and #close last), #fields and #types have
  the same number of columns, and every row has exactly that many;
- selecting columns by name from #fields (as zeek-cut does) gives, per connection, the
  values of the jsonl `connection` record: conn_state, history, community_id, endpoints (the
  originator is the client, or the server only after a flip: '^' in history), packets;
- orig_ip_bytes/resp_ip_bytes equal the sum of tshark's IP lengths (ip.len, or 40 +
  ipv6.plen) of the connection's frames in each direction, an independent decoder;
- uids are unique and the same on a second run (deterministic).

Usage: zeek_log_check.py --tcpinspect BIN --samples DIR
"""
import collections
import json
import pathlib
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from sample_checks import run_over_samples  # noqa: E402

HEADER = ["#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-",
          "#path\tconn"]
STAMP = re.compile(r"^\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d$")


def zeek_cut(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """Rows as {field: value}, and the problems found in the log's framing."""
    problems = []
    lines = text.rstrip("\n").split("\n")
    if lines[:5] != HEADER:
        problems.append(f"header {lines[:5]!r}")
    meta = {}
    rows = []
    for line in lines:
        if line.startswith("#"):
            key, _, value = line.partition("\t")
            meta[key] = value
        else:
            rows.append(line)
    for key in ("#open", "#close"):
        if not STAMP.match(meta.get(key, "")):
            problems.append(f"{key} is {meta.get(key)!r}")
    if not lines[-1].startswith("#close\t"):
        problems.append("the last line is not #close")
    fields = meta.get("#fields", "").split("\t")
    types = meta.get("#types", "").split("\t")
    if len(fields) != len(types):
        problems.append(f"{len(fields)} fields but {len(types)} types")
    records = []
    for row in rows:
        values = row.split("\t")
        if len(values) != len(fields):
            problems.append(f"row with {len(values)} columns, not {len(fields)}: {row!r}")
            continue
        records.append(dict(zip(fields, values)))
    return records, problems


def tshark_ip_lengths(pcap: pathlib.Path) -> dict[int, int]:
    """frame number -> IP datagram length (ip.len, or 40 + ipv6.plen) as tshark decodes it."""
    out = subprocess.run(
        ["tshark", "-r", str(pcap), "-Y", "tcp", "-T", "fields", "-E", "occurrence=f",
         "-e", "frame.number", "-e", "ip.len", "-e", "ipv6.plen"],
        check=True, capture_output=True, text=True).stdout
    lengths = {}
    for line in out.splitlines():
        number, ip_len, plen = line.split("\t")
        lengths[int(number)] = int(ip_len) if ip_len else 40 + int(plen)
    return lengths


def check(binary: str, pcap: pathlib.Path) -> tuple[int, list[str]]:
    def run(fmt: str) -> str:
        return subprocess.run([binary, "replay", str(pcap), "--format", fmt],
                              capture_output=True, text=True, check=True).stdout

    log = run("zeek")
    rows, errors = zeek_cut(log)
    errors = [f"{pcap.name}: {e}" for e in errors]
    records = [json.loads(line) for line in run("jsonl").splitlines()]
    conns = {r["conn"]: r for r in records if r["type"] == "connection"}
    # IP bytes per connection and direction: tshark's length of each of its segments' frames.
    lengths = tshark_ip_lengths(pcap)
    ip_bytes = collections.Counter()
    for r in records:
        if r["type"] == "segment":
            ip_bytes[(r["conn"], r["dir"])] += lengths[r["frame"]]
    if len(rows) != len(conns):
        errors.append(f"{pcap.name}: {len(rows)} rows, {len(conns)} connections")
    uids = [r["uid"] for r in rows]
    if len(set(uids)) != len(uids):
        errors.append(f"{pcap.name}: duplicate uids {uids}")
    if run("zeek") != log:
        errors.append(f"{pcap.name}: a second run wrote a different log (uids not deterministic?)")
    for r in rows:
        c = conns.get(int(r["tcpinspect_conn"]))
        where = f"{pcap.name} conn {r['tcpinspect_conn']}"
        if c is None:
            errors.append(f"{where}: no jsonl connection record")
            continue
        # Zeek's originator is the client, or the server after a role flip ('^' in history).
        flipped = (r["id.orig_h"], r["id.orig_p"]) == (c["server_ip"], str(c["server_port"]))
        if flipped and "^" not in r["history"]:
            errors.append(f"{where}: the server is the originator without a flip in history")
        orig = ("server" if flipped else "client")
        resp = ("client" if flipped else "server")
        expected = {
            "id.orig_h": c[f"{orig}_ip"], "id.orig_p": str(c[f"{orig}_port"]),
            "id.resp_h": c[f"{resp}_ip"], "id.resp_p": str(c[f"{resp}_port"]),
            "proto": "tcp", "conn_state": c["conn_state"], "history": c["history"] or "-",
            "community_id": c["community_id"], "close": c["close"],
            "orig_pkts": str(c[f"{orig}_packets"]), "resp_pkts": str(c[f"{resp}_packets"]),
            "retransmissions": str(c["retransmissions"]),
            "inferred": "T" if c["inferred"] else "F",
            "orig_ip_bytes": str(ip_bytes[(c["conn"], "s2c" if flipped else "c2s")]),
            "resp_ip_bytes": str(ip_bytes[(c["conn"], "c2s" if flipped else "s2c")]),
        }
        if c["duration"] == 0:
            expected |= {"duration": "-", "orig_bytes": "-", "resp_bytes": "-"}
        else:
            expected["duration"] = f"{c['duration']:.6f}"
        for field, want in expected.items():
            if r[field] != want:
                errors.append(f"{where}: {field} is {r[field]!r}, expected {want!r}")
        if not re.fullmatch(r"C[0-9A-Za-z]{10,17}", r["uid"]):
            errors.append(f"{where}: uid {r['uid']!r} is not C + base62")
    return len(rows), errors


def main() -> int:
    return run_over_samples(check, "conn.log rows")


if __name__ == "__main__":
    sys.exit(main())
