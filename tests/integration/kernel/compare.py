# SPDX-License-Identifier: MIT
"""Replays a capture with tcpinspect and compares its states with the kernel's checkpoints.

At a checkpoint taken at time T, tcpinspect's view of an endpoint is the state after the
last segment (or timer) of that connection captured before T. It agrees when it equals the
kernel's state; a different state is acceptable only when tcpinspect marks that endpoint
as unconfirmed (jsonl `"unconfirmed": ["client"|"server"]`), i.e. admits that the capture
cannot tell. Connections that had not started by T are not compared; when a four-tuple was
reused, only its latest connection is.
"""
import json
import subprocess

from kernel_state import kernel_endpoint_state, normalise
from known import KNOWN_CHECKS, MAY_NOT_OCCUR, WRONG_SEGMENTS
from lab import QUIET_GUARD_S, TimingError


def replay(tcpinspect, pcap):
    r = subprocess.run([tcpinspect, "replay", pcap, "--format", "jsonl"], capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"tcpinspect replay failed ({r.returncode}): {r.stderr.strip()}")
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


class Timeline:
    """tcpinspect's states per connection over capture time."""

    def __init__(self, records):
        self.roles = {}  # conn -> {"client": "ip:port", "server": "ip:port"}
        self.events = {}  # conn -> [(ts, frame, client_state, server_state, unconfirmed)]
        self.frame_ts = []
        for r in records:
            if r["type"] == "segment":
                self.frame_ts.append(float(r["ts"]))
                if r["dir"] == "c2s":
                    roles = {"client": r["src"], "server": r["dst"]}
                else:
                    roles = {"client": r["dst"], "server": r["src"]}
                self.roles.setdefault(r["conn"], roles)
                self.events.setdefault(r["conn"], []).append(
                    (float(r["ts"]), r["frame"], r["client_state"], r["server_state"],
                     set(r.get("unconfirmed", []))))
            elif r["type"] == "timer" and r["conn"] in self.events:
                last = self.events[r["conn"]][-1]
                states = {"client": last[2], "server": last[3]}
                states[r["side"]] = r["to"]
                self.events[r["conn"]].append(
                    (float(r["ts"]), None, states["client"], states["server"], last[4]))
            elif r["type"] == "connection":
                self.roles[r["conn"]] = {"client": r["client"], "server": r["server"]}

    def at(self, conn, t):
        """(frame, client_state, server_state, unconfirmed) after the last event before t."""
        before = [e for e in self.events[conn] if e[0] < t]
        return before[-1][1:] if before else None

    def started(self, conn):
        return self.events[conn][0][0]


def judge_checks(records, scenario):
    """-> (listing, problems): every failed check must be a WRONG_SEGMENTS or a
    KNOWN_CHECKS entry of the scenario, and every KNOWN_CHECKS entry must still occur."""
    wrong = WRONG_SEGMENTS.get(scenario, {})
    known = KNOWN_CHECKS.get(scenario, {})
    listing, problems, seen = [], [], set()
    for r in records:
        if r["type"] != "segment":
            continue
        for ch in r.get("checks", []):
            if ch["ok"]:
                continue
            key = ("+".join(r["flags"]), ch["rule"])
            seen.add(key)
            why = wrong.get(key) or known.get(key)
            verdict = "right: " + why if key in wrong else ("known: " + why if why else "UNEXPECTED")
            listing.append(f"frame {r['frame']} {key[0]}: {key[1]} expected {ch['expected']} "
                           f"got {ch['actual']} (notes: {', '.join(r.get('notes', [])) or '-'}) — {verdict}")
            if not why:
                problems.append(f"frame {r['frame']} {key[0]} fails {key[1]}, a routine segment "
                                f"(notes: {', '.join(r.get('notes', [])) or '-'})")
    for key, why in known.items():
        if key not in seen and (scenario, *key) not in MAY_NOT_OCCUR:
            problems.append(f"known failed check {key} did not occur "
                            f"(fixed? remove it from KNOWN_CHECKS): {why}")
    return listing, problems


def role_rows(records, active_openers, known, used_known):
    """The client of a connection whose handshake is on the capture must be the endpoint
    that called connect() (issue 9 rule 2: roles follow the handshake, not ports): one
    row per such connection, checkpoint "roles"."""
    rows = []
    with_handshake = {r["conn"] for r in records if r["type"] == "segment" and "SYN" in r["flags"]}
    for r in records:
        if r["type"] != "connection" or r["conn"] not in with_handshake:
            continue
        row = {"checkpoint": "roles", "conn": r["conn"], "role": "client", "frame": None,
               "tool": r["client"], "marked": False}
        if normalise(r["client"]) in active_openers:
            row.update(kernel="connect()", verdict="agree")
        else:
            row["kernel"] = "accept()"
            kkey = ("roles", "client", r["client"].rsplit(":", 1)[1])
            if kkey in known:
                row.update(verdict="known", why=known[kkey])
                used_known.add(kkey)
            else:
                row.update(verdict="disagree", problem=f"conn {r['conn']}: tcpinspect's client {r['client']} "
                                                       f"never called connect() (it is the passive opener)")
        rows.append(row)
    return rows


def compare(records, checkpoints, known, active_openers=frozenset()):
    """-> (rows, problems). rows: one dict per compared endpoint per checkpoint, with
    verdict agree | unconfirmed | disagree | known | not_observable. problems: strings
    for what makes the scenario fail. `known` maps (checkpoint label, endpoint role,
    tcpinspect state) to why tcpinspect is known to be wrong there (issue 9 rules)."""
    tl = Timeline(records)
    for cp in checkpoints:
        near = [ts for ts in tl.frame_ts if cp["t0"] - QUIET_GUARD_S <= ts <= cp["t1"]]
        if near:
            raise TimingError(f"checkpoint '{cp['label']}': {len(near)} frame(s) captured while ss ran")
    used_known = set()
    rows = role_rows(records, active_openers, known, used_known)
    problems = [r["problem"] for r in rows if "problem" in r]
    for cp in checkpoints:
        latest = {}
        for conn, roles in tl.roles.items():
            if conn not in tl.events or tl.started(conn) >= cp["t0"]:
                continue
            key = frozenset(normalise(a) for a in roles.values())
            if key not in latest or tl.started(conn) > tl.started(latest[key]):
                latest[key] = conn
        for conn in sorted(latest.values()):
            frame, c_state, s_state, unconfirmed = tl.at(conn, cp["t0"])
            roles = tl.roles[conn]
            for role, tool_state in (("client", c_state), ("server", s_state)):
                local = roles[role]
                peer = roles["server" if role == "client" else "client"]
                nkey = (normalise(local), normalise(peer))
                side = owner_side(cp, local)
                row = {"checkpoint": cp["label"], "conn": conn, "role": role, "frame": frame,
                       "tool": tool_state, "marked": role in unconfirmed}
                if side is None:
                    row.update(kernel="?", verdict="not_observable", why="no namespace owns " + local)
                    rows.append(row)
                    continue
                kernel = kernel_endpoint_state(cp["ss"][side], local, peer, nkey in cp["full"])
                row["kernel"] = kernel
                kkey = (cp["label"], role, tool_state)
                if nkey in cp["skip"]:
                    row.update(verdict="not_observable", why=cp["skip"][nkey])
                elif tool_state == kernel:
                    row["verdict"] = "agree"
                elif role in unconfirmed:
                    row["verdict"] = "unconfirmed"
                elif kkey in known:
                    row.update(verdict="known", why=known[kkey])
                    used_known.add(kkey)
                else:
                    row["verdict"] = "disagree"
                    problems.append(
                        f"checkpoint '{cp['label']}' conn {conn} {role} {local}: kernel {kernel}, "
                        f"tcpinspect {tool_state} after frame {frame}, not marked unconfirmed")
                rows.append(row)
    for kkey, why in known.items():
        if kkey not in used_known:
            problems.append(f"known disagreement {kkey} did not occur (fixed? remove it): {why}")
    return rows, problems


def owner_side(cp, endpoint):
    """Which namespace holds the address of `endpoint` (by the lab's fixed plan)."""
    addr, _ = normalise(endpoint)
    text = str(addr)
    if text in ("10.209.0.1", "fd00:209::1"):
        return "c"
    if text in ("10.209.0.2", "fd00:209::2"):
        return "s"
    return None
