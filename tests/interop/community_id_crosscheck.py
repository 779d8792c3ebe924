#!/usr/bin/env python3
"""Community ID cross-check over every sample, against two independent implementations.

For each samples/*.pcap and seeds 0 and 7:
- every jsonl `segment` record's community_id equals the one tshark computes for that frame
  (Wireshark's own communityid post-dissector, `-o communityid.seed:N`; tshark is slow to
  start, so with seed 7 only for the IPv4 and IPv6 samples in TSHARK_SEED7);
- every `segment` and `connection` record's community_id equals a Community ID v1 computed
  here with hashlib from the record's split endpoint fields (client_ip, client_port,
  server_ip, server_port), after the spec's ordering rule
  (https://github.com/corelight/community-id-spec);
- the segment's src/dst are the connection's client/server in one order or the other.

Usage: community_id_crosscheck.py --tcpinspect BIN --samples DIR
"""
import argparse
import base64
import hashlib
import ipaddress
import json
import pathlib
import subprocess
import sys

SEEDS = (0, 7)
TSHARK_SEED7 = ("client_close.pcap", "ipv6.pcap")


def community_id(saddr: str, sport: int, daddr: str, dport: int, seed: int, proto: int = 6) -> str:
    s = ipaddress.ip_address(saddr).packed
    d = ipaddress.ip_address(daddr).packed
    if (s, sport) > (d, dport):
        s, sport, d, dport = d, dport, s, sport
    data = (seed.to_bytes(2, "big") + s + d + bytes([proto, 0]) + sport.to_bytes(2, "big") +
            dport.to_bytes(2, "big"))
    return "1:" + base64.b64encode(hashlib.sha1(data).digest()).decode()


def endpoint(text: str) -> tuple[str, int]:
    host, port = text.rsplit(":", 1)
    return host.strip("[]"), int(port)


def tshark_ids(pcap: pathlib.Path, seed: int) -> dict[int, str]:
    out = subprocess.run(
        ["tshark", "-r", str(pcap), "--enable-protocol", "communityid", "-o",
         f"communityid.seed:{seed}", "-T", "fields", "-e", "frame.number", "-e", "communityid"],
        check=True, capture_output=True, text=True).stdout
    ids = {}
    for line in out.splitlines():
        number, _, cid = line.partition("\t")
        if cid:
            ids[int(number)] = cid.split(",")[0]
    return ids


def check(binary: str, pcap: pathlib.Path, seed: int) -> tuple[int, list[str]]:
    run = subprocess.run([binary, "replay", str(pcap), "--format", "jsonl",
                          "--community-id-seed", str(seed)], capture_output=True, text=True)
    records = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    use_tshark = seed == 0 or pcap.name in TSHARK_SEED7
    from_tshark = tshark_ids(pcap, seed) if use_tshark else {}
    errors = []
    checked = 0
    for r in records:
        if r["type"] not in ("segment", "connection"):
            continue
        where = f"{pcap.name} seed {seed} {r['type']} " + (
            f"frame {r['frame']}" if r["type"] == "segment" else f"conn {r['conn']}")
        ours = community_id(r["client_ip"], r["client_port"], r["server_ip"], r["server_port"],
                            seed)
        if r["community_id"] != ours:
            errors.append(f"{where}: {r['community_id']} != hashlib {ours}")
        if r["type"] == "segment" and use_tshark:
            theirs = from_tshark.get(r["frame"])
            if r["community_id"] != theirs:
                errors.append(f"{where}: {r['community_id']} != tshark {theirs}")
        if r["type"] == "segment":
            ends = {endpoint(r["src"]), endpoint(r["dst"])}
            if ends != {(r["client_ip"], r["client_port"]), (r["server_ip"], r["server_port"])}:
                errors.append(f"{where}: src/dst {ends} are not the client and server")
        checked += 1
    return checked, errors


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tcpinspect", required=True)
    parser.add_argument("--samples", required=True)
    args = parser.parse_args()
    samples = sorted(pathlib.Path(args.samples).glob("*.pcap"))
    if not samples:
        print(f"no samples in {args.samples}", file=sys.stderr)
        return 1
    total = 0
    errors = []
    for pcap in samples:
        for seed in SEEDS:
            n, e = check(args.tcpinspect, pcap, seed)
            total += n
            errors += e
    for e in errors[:50]:
        print(e)
    print(f"{total} records in {len(samples)} samples x {len(SEEDS)} seeds, {len(errors)} "
          "mismatches")
    return 1 if errors or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
