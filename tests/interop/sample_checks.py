# SPDX-License-Identifier: MIT
"""The command line shared by the per-sample interop checks: run check(tcpinspect, pcap)
over every samples/*.pcap, print the first 50 problems and a count, exit 1 on a problem or
when nothing was checked."""
import argparse
import pathlib


def run_over_samples(check, what: str) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tcpinspect", required=True)
    parser.add_argument("--samples", required=True)
    args = parser.parse_args()
    samples = sorted(pathlib.Path(args.samples).glob("*.pcap"))
    total, errors = 0, []
    for pcap in samples:
        n, e = check(args.tcpinspect, pcap)
        total += n
        errors += e
    for e in errors[:50]:
        print(e)
    print(f"{total} {what} in {len(samples)} samples, {len(errors)} problems")
    return 1 if errors or total == 0 else 0
