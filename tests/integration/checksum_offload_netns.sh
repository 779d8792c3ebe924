#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checksum offload on a real Linux loopback: segments captured on lo carry only the
# pseudo-header sum in their TCP checksum field (the kernel never completes it). tcpinspect
# must call them "offloaded", not bad: a capture by tcpdump, a live `trace lo` and a replay of
# a `demo -w` file all give Zeek's SF with no C in the history and no bad_checksum note, for
# IPv4 and IPv6; the same capture with one checksum bit flipped must still be reported bad.
# Everything runs on lo inside a network namespace made here.
#
# usage: checksum_offload_netns.sh PATH/TO/tcpinspect
# Needs root. Exits 77 (skip) only when not root; anything else that goes wrong is a FAIL.
set -uo pipefail

BIN=${1:?usage: $0 PATH/TO/tcpinspect}
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: needs root (network namespaces, packet capture)"
  exit 77
fi

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
for tool in ip python3 tcpdump; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool"
done
[ -x "$BIN" ] || fail "not executable: $BIN"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

NS=ti-offload-$$
PORT=5601
WORK=$(mktemp -d /tmp/ti-offload-XXXXXX)
chmod 755 "$WORK"
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS" || fail "ip netns add $NS"
ip -n "$NS" link set lo up || fail "lo up in $NS"

# One conversation per address family on lo: request, reply, both close. Bounded: 10 s
# socket timeouts, the whole script under `timeout`.
conversations() {
  ip netns exec "$NS" timeout 20 python3 - "$PORT" <<'PY' || fail "test conversations failed"
import socket, sys, threading

port = int(sys.argv[1])
for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    srv = socket.socket(family)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(1)
    srv.settimeout(10)

    def serve():
        c, _ = srv.accept()
        c.settimeout(10)
        assert c.recv(100) == b"ping"
        c.sendall(b"pong" * 100)
        assert c.recv(100) == b""  # the client's FIN
        c.close()

    t = threading.Thread(target=serve)
    t.start()
    cl = socket.create_connection((host, port), timeout=10)
    cl.sendall(b"ping")
    got = b""
    while len(got) < 400:
        got += cl.recv(1000)
    cl.close()
    t.join(10)
    srv.close()
PY
}

# check_jsonl NAME FILE CONNS [bad]: Zeek SF without C/c for every connection, no
# bad_checksum note, and the sockets' segments "offloaded" (lo never completes their sums);
# with "bad", exactly one segment must be bad and its connection's history must show it.
check_jsonl() {
  python3 - "$@" <<'PY' || fail "$1: jsonl content (above)"
import json, sys

name, path, want_conns = sys.argv[1], sys.argv[2], int(sys.argv[3])
corrupted = len(sys.argv) > 4
recs = [json.loads(l) for l in open(path)]
conns = [r for r in recs if r["type"] == "connection"]
segs = [r for r in recs if r["type"] == "segment"]
stats = [r for r in recs if r["type"] == "stats"]
errors = []
if len(conns) != want_conns:
    errors.append(f"{len(conns)} connections, want {want_conns}")
for c in conns:
    if c["conn_state"] != "SF":
        errors.append(f"conn {c['conn']}: conn_state {c['conn_state']}, want SF")
    has_c = "C" in c["history"] or "c" in c["history"]
    if has_c != (corrupted and c["conn"] == 1):
        errors.append(f"conn {c['conn']}: history {c['history']!r}")
bad = [s for s in segs if s["checksum"] == "bad"]
noted = [s for s in segs if "bad_checksum" in s["notes"]]
if corrupted:
    if len(bad) != 1 or len(noted) != 1 or bad[0]["frame"] != noted[0]["frame"]:
        errors.append(f"bad frames {[s['frame'] for s in bad]}, noted {[s['frame'] for s in noted]}")
    if stats and stats[0]["bad_checksums"] != 1:
        errors.append(f"stats bad_checksums {stats[0]['bad_checksums']}")
else:
    if bad or noted:
        errors.append(f"bad checksums on frames {[s['frame'] for s in bad + noted]}")
    if stats and stats[0]["bad_checksums"] != 0:
        errors.append(f"stats bad_checksums {stats[0]['bad_checksums']}")
# Sockets' segments carry offload's partial sum; replies the kernel builds itself (the
# TIME_WAIT ACK, RSTs: tcp_v4_send_ack) are summed in software and are good.
others = sorted({s["checksum"] for s in segs if s["checksum"] not in ("offloaded", "good", "bad")})
if others:
    errors.append(f"checksum values {others}")
offloaded = sum(s["checksum"] == "offloaded" for s in segs)
if offloaded < 6 * want_conns:
    errors.append(f"only {offloaded} offloaded checksums: lo leaves the partial sum")
if len(segs) < 8 * want_conns:
    errors.append(f"only {len(segs)} segments")
if errors:
    print(f"{name}: " + "; ".join(errors))
    sys.exit(1)
PY
  echo "ok: $1"
}

# --- tcpdump's capture of both families, replayed -------------------------------------
# --immediate-mode: without it the last packets can sit in an unretired ring block (up to
# 1 s) and be lost when tcpdump is stopped.
ip netns exec "$NS" timeout 30 tcpdump -i lo --immediate-mode -U -w "$WORK/lo.pcap" \
  "tcp port $PORT" 2>"$WORK/tcpdump.err" &
PIDS+=($!)
TCPDUMP_PID=$!
for _ in $(seq 50); do
  grep -q "listening on" "$WORK/tcpdump.err" && break
  sleep 0.1
done
grep -q "listening on" "$WORK/tcpdump.err" || fail "tcpdump did not start: $(cat "$WORK/tcpdump.err")"
conversations
sleep 1
kill -INT "$TCPDUMP_PID"
wait "$TCPDUMP_PID"
"$BIN" replay "$WORK/lo.pcap" --format jsonl >"$WORK/lo.jsonl" 2>"$WORK/err" ||
  fail "replay of the lo capture: $(cat "$WORK/err")"
check_jsonl "tcpdump capture on lo, replayed" "$WORK/lo.jsonl" 2

# The text output says nothing about bad checksums either.
"$BIN" replay "$WORK/lo.pcap" --color never >"$WORK/lo.txt" 2>"$WORK/err" || fail "text replay"
if grep -qi "bad TCP checksum\|bad checksums" "$WORK/lo.txt"; then
  fail "text output reports bad checksums: $(grep -i 'bad' "$WORK/lo.txt")"
fi
echo "ok: text output of the lo capture has no bad checksum"

# --- one bit flipped in the checksum of the first data segment: genuinely bad ----------
python3 - "$WORK/lo.pcap" "$WORK/corrupt.pcap" <<'PY' || fail "could not corrupt the capture"
import struct, sys

data = bytearray(open(sys.argv[1], "rb").read())
magic = struct.unpack("<I", data[:4])[0]
assert magic in (0xA1B2C3D4, 0xA1B23C4D), hex(magic)  # little-endian pcap from tcpdump
link = struct.unpack("<I", data[20:24])[0]
link_len = {1: 14, 113: 16, 276: 20}[link]
off = 24
while off + 16 <= len(data):
    caplen = struct.unpack("<I", data[off + 8:off + 12])[0]
    ip = off + 16 + link_len
    if data[ip] >> 4 == 4:
        ihl = (data[ip] & 15) * 4
        total = struct.unpack("!H", data[ip + 2:ip + 4])[0]
        tcp = ip + ihl
        payload = total - ihl - (data[tcp + 12] >> 4) * 4
        if payload > 0:
            data[tcp + 17] ^= 0x04
            break
    off += 16 + caplen
else:
    sys.exit("no IPv4 data segment")
open(sys.argv[2], "wb").write(data)
PY
"$BIN" replay "$WORK/corrupt.pcap" --format jsonl >"$WORK/corrupt.jsonl" 2>"$WORK/err" ||
  fail "replay of the corrupted capture: $(cat "$WORK/err")"
check_jsonl "one flipped checksum bit is still reported bad" "$WORK/corrupt.jsonl" 2 bad

# --no-checksums judges nothing.
"$BIN" replay "$WORK/corrupt.pcap" --no-checksums --format jsonl >"$WORK/nock.jsonl" ||
  fail "replay --no-checksums"
python3 - "$WORK/nock.jsonl" <<'PY' || fail "--no-checksums still judged checksums"
import json, sys
segs = [json.loads(l) for l in open(sys.argv[1]) if '"type":"segment"' in l]
assert segs and all(s["checksum"] == "unverified" for s in segs), {s["checksum"] for s in segs}
PY
echo "ok: --no-checksums leaves every checksum unverified"

# --- live: trace lo -------------------------------------------------------------------
ip netns exec "$NS" "$BIN" trace lo --format jsonl "tcp port $PORT" \
  >"$WORK/live.jsonl" 2>"$WORK/live.err" &
TRACE_PID=$!
PIDS+=("$TRACE_PID")
for _ in $(seq 50); do
  grep -q "listening on" "$WORK/live.err" 2>/dev/null && break
  kill -0 "$TRACE_PID" 2>/dev/null || fail "trace exited early: $(cat "$WORK/live.err")"
  sleep 0.1
done
grep -q "listening on" "$WORK/live.err" || fail "trace: no 'listening on' line"
conversations
sleep 0.5
kill -INT "$TRACE_PID"
for _ in $(seq 100); do
  kill -0 "$TRACE_PID" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$TRACE_PID" 2>/dev/null && fail "trace still running 10 s after SIGINT"
wait "$TRACE_PID" || fail "trace exited non-zero: $(cat "$WORK/live.err")"
check_jsonl "live trace lo" "$WORK/live.jsonl" 2

# --- demo -w, replayed with checksums verified -----------------------------------------
ip netns exec "$NS" timeout 60 "$BIN" demo --close client -w "$WORK/demo.pcap" --format jsonl \
  >"$WORK/demo.jsonl" 2>"$WORK/err" || fail "demo -w: $(cat "$WORK/err")"
"$BIN" replay "$WORK/demo.pcap" --format jsonl >"$WORK/demo-replay.jsonl" 2>"$WORK/err" ||
  fail "replay of the demo -w file: $(cat "$WORK/err")"
check_jsonl "demo -w file, replayed" "$WORK/demo-replay.jsonl" 1
check_jsonl "demo itself" "$WORK/demo.jsonl" 1

echo "PASS"
