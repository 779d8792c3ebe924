#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The real-kernel suite (issue 9): Linux TCP in two network namespaces, `ss` as the truth.

Each scenario (kernel/scenarios.py) scripts a socket dialogue between namespaces "c" and
"s" joined by a veth pair, with nftables dropping chosen segments and tcpdump capturing on
c's veth; at checkpoints `ss -tanH` in both namespaces records the kernel's states. The
capture is then replayed with `tcpinspect replay --format jsonl` and every endpoint's state
at every checkpoint must equal the kernel's, or be marked unconfirmed (kernel/compare.py).

A scenario whose timing failed (a segment captured while ss ran, the kernel not where the
script meant it to be) is run again, up to three times; a disagreement is never retried.

usage: kernel_suite.py PATH/TO/tcpinspect [--scenario NAME ...] [--keep DIR] [--table]
                       [--markdown FILE]
Needs root. Exits 77 (skip) only when not root.
"""
import argparse
import os
import shutil
import signal
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel"))

import report  # noqa: E402
from compare import compare, judge_checks, replay  # noqa: E402
from lab import Lab, TimingError  # noqa: E402
from scenarios import SCENARIOS  # noqa: E402

ATTEMPTS = 3


def run_once(scenario, tcpinspect, workdir):
    lab = Lab(tcpinspect, workdir, ipv6=scenario.ipv6)
    try:
        scenario.run(lab)
        lab.stop_capture()
        lab.check_wire()
    finally:
        lab.close()
    records = replay(tcpinspect, lab.pcap)
    rows, problems = compare(records, lab.checkpoints, scenario.known, lab.active_openers)
    checks, check_problems = judge_checks(records, scenario.name)
    return rows, problems + check_problems, checks


def run(scenario, tcpinspect, keep):
    timing = []
    for attempt in range(1, ATTEMPTS + 1):
        workdir = tempfile.mkdtemp(prefix=f"ti-kernel-{scenario.name}-")
        try:
            rows, problems, checks = run_once(scenario, tcpinspect, workdir)
            if keep:
                dest = os.path.join(keep, f"{scenario.name}.pcap")
                shutil.copy(os.path.join(workdir, "capture.pcap"), dest)
            return rows, problems, checks, timing
        except TimingError as e:
            timing.append(f"attempt {attempt}: {e}")
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return [], [f"timing failed {ATTEMPTS} times: " + "; ".join(timing)], [], timing


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tcpinspect")
    ap.add_argument("--scenario", action="append", help="run only these (repeatable)")
    ap.add_argument("--keep", help="copy each scenario's capture into this directory")
    ap.add_argument("--table", action="store_true", help="print every compared state")
    ap.add_argument("--markdown", help="write the results table (docs/kernel-suite.md) here")
    args = ap.parse_args()
    # ctest's timeout and Ctrl-C end the run through the scenarios' finally blocks, which
    # delete the namespaces.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if os.geteuid() != 0:
        print("SKIP: needs root (network namespaces, nftables, packet capture)")
        return 77
    missing = [t for t in ("ip", "nft", "tcpdump", "ss") if not shutil.which(t)]
    if missing:
        print(f"FAIL: missing tool(s): {', '.join(missing)} (scripts/install-deps.sh)")
        return 1
    tcpinspect = os.path.abspath(args.tcpinspect)
    chosen = [s for s in SCENARIOS if not args.scenario or s.name in args.scenario]
    unknown = set(args.scenario or []) - {s.name for s in SCENARIOS}
    if unknown:
        print(f"unknown scenario(s): {', '.join(sorted(unknown))}; have: "
              f"{', '.join(s.name for s in SCENARIOS)}")
        return 2
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    results = []
    t_start = time.monotonic()
    for s in chosen:
        t0 = time.monotonic()
        result = run(s, tcpinspect, args.keep)
        results.append((s.name, result))
        print("\n".join(report.console(s.name, result, time.monotonic() - t0, args.table)), flush=True)
    failed = sum(bool(r[1]) for _, r in results)
    totals = report.counts([row for _, r in results for row in r[0]])
    checks = sum(len(r[2]) for _, r in results)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(report.markdown(results))
    total = ", ".join(f"{n} {v}" for v, n in totals.items() if n)
    print(f"{'FAIL' if failed else 'PASS'}: kernel_suite: {len(chosen)} scenarios, {failed} failed; "
          f"states: {total}; {checks} failed checks  [{time.monotonic() - t_start:.1f} s]")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
