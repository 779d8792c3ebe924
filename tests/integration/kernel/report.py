# SPDX-License-Identifier: MIT
"""How the suite reports: one console line per scenario (details on request or failure)
and the markdown table of docs/kernel-suite.md."""

VERDICTS = ("agree", "unconfirmed", "known", "disagree", "not_observable")


def counts(rows):
    c = dict.fromkeys(VERDICTS, 0)
    for r in rows:
        c[r["verdict"]] += 1
    return c


def console(name, result, elapsed, details):
    rows, problems, checks, timing = result
    c = counts(rows)
    summary = ", ".join(f"{n} {v}" for v, n in c.items() if n)
    if checks:
        summary += f"; {len(checks)} failed check(s)"
    retried = f" ({len(timing)} timing retries)" if timing else ""
    out = [f"{'FAIL' if problems else 'ok'}: {name}: {summary}{retried}  [{elapsed:.1f} s]"]
    if details or problems:
        for r in rows:
            mark = "?" if r["marked"] else ""
            why = f"  ({r['why']})" if r.get("why") else ""
            out.append(f"    {r['checkpoint']:<28} conn {r['conn']} {r['role']:<6} kernel {r['kernel']:<12} "
                       f"tcpinspect {r['tool'] + mark:<13} {r['verdict']}{why}")
    if details:
        out += [f"    failed check: {c}" for c in checks]
        out += [f"    timing retry: {t}" for t in timing]
    out += [f"    problem: {p}" for p in problems]
    return out


def markdown(results):
    """results: [(scenario name, (rows, problems, checks, timing))]."""
    out = ["| scenario | compared | agree | of which marked unconfirmed | unconfirmed (wrong, marked) | "
           "known wrong | not observable | failed checks | where tcpinspect is wrong |",
           "|---|---|---|---|---|---|---|---|---|"]
    for name, (rows, problems, checks, _) in results:
        c = counts(rows)
        wrong = [f"{r['checkpoint']}: {r['role']} {r['tool']}, kernel {r['kernel']}"
                 for r in rows if r["verdict"] in ("known", "disagree")]
        marked = sum(1 for r in rows if r["verdict"] == "agree" and r["marked"])
        out.append(f"| {name} | {len(rows)} | {c['agree']} | {marked} | {c['unconfirmed']} | "
                   f"{c['known'] + c['disagree']} | "
                   f"{c['not_observable']} | {len(checks)} | {'; '.join(wrong) or '—'} |")
    return "\n".join(out) + "\n"
