#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# trace's tcpdump conventions, live in a network namespace made here (its own loopback):
# -D prints what tcpdump -D prints; -C/-W/-G rotate the -w file into files named as tcpdump
# names them, each a whole pcap (capinfos reads it), with no frame lost at a rotation and the
# analysis unchanged (replaying the files, merged, gives trace's own jsonl); -G with -W stops
# after W files with exit 0.
#
# usage: trace_rotation_netns.sh PATH/TO/tcpinspect
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
for tool in ip python3 tcpdump capinfos mergecap; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool"
done
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

NS=ti-rot-$$
WORK=$(mktemp -d /tmp/ti-rot-XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$NS" || fail "ip netns add $NS"

# -D before lo is up, and after: the same lines as tcpdump -D, flags and numbering included.
diff <(ip netns exec "$NS" tcpdump -D) <(ip netns exec "$NS" "$BIN" trace -D) ||
  fail "trace -D differs from tcpdump -D (lo down)"
ip -n "$NS" link set lo up || fail "lo up"
diff <(ip netns exec "$NS" tcpdump -D) <(ip netns exec "$NS" "$BIN" trace -D) ||
  fail "trace -D differs from tcpdump -D (lo up)"

# Starts a trace in the namespace (output in $WORK/NAME.{out,err}); waits for "listening on".
start_trace() {
  local name=$1
  shift
  ip netns exec "$NS" "$BIN" trace "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  TRACE_PID=$!
  PIDS+=("$TRACE_PID")
  for _ in $(seq 50); do
    grep -q "listening on" "$WORK/$name.err" 2>/dev/null && return 0
    kill -0 "$TRACE_PID" 2>/dev/null || fail "$name: trace exited early: $(cat "$WORK/$name.err")"
    sleep 0.1
  done
  fail "$name: no 'listening on' line within 5 s"
}
# Waits (15 s at most) for TRACE_PID; sets TRACE_RC.
wait_trace() {
  for _ in $(seq 150); do
    kill -0 "$TRACE_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$TRACE_PID" 2>/dev/null && fail "$1: trace still running after 15 s"
  wait "$TRACE_PID"
  TRACE_RC=$?
}
frames_in() { capinfos -Tmc "$1" 2>/dev/null | awk -F, 'NR==2 {print $NF}'; }
captured() { awk '/packets captured/ {print $1}' "$WORK/$1.err"; }

# 4 MB over one TCP connection on lo (segments up to 64 KiB), in 16 KiB writes.
bulk_transfer() {
  ip netns exec "$NS" timeout 20 python3 - <<'PY' || fail "bulk transfer failed"
import socket, threading
srv = socket.socket(); srv.bind(("127.0.0.1", 5201)); srv.listen(1)
def sink():
    c, _ = srv.accept()
    while c.recv(1 << 16): pass
    c.close()
t = threading.Thread(target=sink); t.start()
cl = socket.create_connection(("127.0.0.1", 5201))
chunk = b"r" * 16384
for _ in range(256): cl.sendall(chunk)
cl.close(); t.join(); srv.close()
PY
}

# --- -C 1: FILE, FILE1, FILE2 ... (and the same run with -W 3: a ring FILE0..FILE2). ---
mkdir -p "$WORK/c" "$WORK/ring"
start_trace size lo --format jsonl -w "$WORK/c/cap.pcap" -C 1 tcp port 5201
SIZE_PID=$TRACE_PID
start_trace ring lo --format summary -w "$WORK/ring/cap.pcap" -C 1 -W 3 tcp port 5201
RING_PID=$TRACE_PID
bulk_transfer
sleep 0.5
kill -INT "$SIZE_PID" "$RING_PID"
TRACE_PID=$SIZE_PID wait_trace size
[ "$TRACE_RC" = 0 ] || fail "size: exit $TRACE_RC: $(cat "$WORK/size.err")"
TRACE_PID=$RING_PID wait_trace ring
[ "$TRACE_RC" = 0 ] || fail "ring: exit $TRACE_RC: $(cat "$WORK/ring.err")"

files=$(ls "$WORK/c")
n=$(echo "$files" | wc -l)
[ "$n" -ge 4 ] || fail "-C 1 over 4 MB made $n files: $files"
expected=$(printf 'cap.pcap\n'; for i in $(seq 1 $((n - 1))); do printf 'cap.pcap%d\n' "$i"; done)
[ "$(echo "$files" | sort)" = "$(echo "$expected" | sort)" ] ||
  fail "-C names: got $(echo $files), want $(echo $expected)"
total=0
for i in "" $(seq 1 $((n - 1))); do
  f="$WORK/c/cap.pcap$i"
  k=$(frames_in "$f")
  [ -n "$k" ] || fail "capinfos cannot read $f"
  size=$(stat -c %s "$f")
  # Every file but the last was closed because it had grown past 1,000,000 bytes.
  if [ "$i" != "$((n - 1))" ]; then
    [ "$size" -gt 1000000 ] || fail "$f closed at $size bytes (not past 1,000,000)"
  fi
  total=$((total + k))
done
[ "$total" = "$(captured size)" ] ||
  fail "frames in the files ($total) != frames captured ($(captured size))"
# The analysis does not see the rotation: the files joined and replayed give trace's jsonl.
# Joined in rotation order (mergecap -a), not merged by time: the files keep microseconds,
# and two frames of one microsecond on either side of a rotation were put the other way
# round by a time merge (which breaks ties by file), once in CI.
mapfile -t parts < <(ls -v "$WORK"/c/cap.pcap*)
mergecap -a -w "$WORK/merged.pcap" "${parts[@]}" || fail "mergecap"
"$BIN" replay --format jsonl "$WORK/merged.pcap" >"$WORK/replayed.jsonl" || fail "replay of the merge"
# -w files keep microseconds (as tcpdump's): times are compared to the microsecond.
python3 - "$WORK/size.out" "$WORK/replayed.jsonl" <<'PY' || fail "replaying the rotated files differs from the live jsonl"
import json, sys
from decimal import Decimal
# Live times have nanoseconds, the file's are cut to microseconds: times agree within 1 us.
# Integer nanosecond fields (ts_ns, first_ts_ns, ...) agree within 1000 ns.
def same(a, b, key=""):
    if isinstance(a, Decimal) and isinstance(b, Decimal): return abs(a - b) <= Decimal("0.000001")
    if key.endswith("_ns") and isinstance(a, int) and isinstance(b, int): return abs(a - b) < 1000
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], k) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b
live, replayed = ([json.loads(l, parse_float=Decimal) for l in open(p)] for p in sys.argv[1:3])
if len(live) != len(replayed):
    sys.exit(f"{len(live)} live records, {len(replayed)} replayed")
for a, b in zip(live, replayed):
    if not same(a, b):
        diff = {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if not same(a.get(k), b.get(k), k)}
        sys.exit(f"first difference: {diff}")
print(f"ok: {len(live)} jsonl records, the same live and replayed from the rotated files")
PY
grep -q '"graceful"\|graceful' "$WORK/size.out" || fail "the transfer's connection did not end gracefully in the jsonl"

ring=$(ls "$WORK/ring" | sort | tr '\n' ' ')
[ "$ring" = "cap.pcap0 cap.pcap1 cap.pcap2 " ] || fail "-C 1 -W 3 files: $ring"
for f in "$WORK"/ring/*; do [ -n "$(frames_in "$f")" ] || fail "capinfos cannot read $f"; done
echo "ok: -C 1 made $n files (${total} frames, all captured ones); -C 1 -W 3 kept a ring of 3"

# --- -G 1 -W 3 -w g-%s.pcap: three files, then exit 0 by itself (tcpdump: "Maximum file
# limit reached: 3"). %s is the epoch second the file was opened. ---
mkdir -p "$WORK/g"
start_trace time lo -w "$WORK/g/g-%s.pcap" -G 1 -W 3 udp port 9
ip netns exec "$NS" timeout 10 python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + 4.5
while time.time() < end:
    s.sendto(b'x' * 100, ('127.0.0.1', 9)); time.sleep(0.05)
" || fail "udp sender"
wait_trace time
[ "$TRACE_RC" = 0 ] || fail "-G -W: exit $TRACE_RC: $(cat "$WORK/time.err")"
grep -q "maximum file limit reached: 3 files" "$WORK/time.err" ||
  fail "-G -W: no limit line: $(cat "$WORK/time.err")"
gfiles=$(ls "$WORK/g")
[ "$(echo "$gfiles" | wc -l)" = 3 ] || fail "-G 1 -W 3 made: $gfiles"
prev=0
total=0
for f in $gfiles; do
  [[ "$f" =~ ^g-([0-9]{10})\.pcap$ ]] || fail "-G name $f is not g-EPOCH.pcap"
  t=${BASH_REMATCH[1]}
  [ "$prev" = 0 ] || [ "$t" -ge $((prev + 1)) ] || fail "-G files less than 1 s apart: $gfiles"
  prev=$t
  k=$(frames_in "$WORK/g/$f")
  [ -n "$k" ] || fail "capinfos cannot read $f"
  total=$((total + k))
done
[ "$total" = "$(captured time)" ] || fail "-G: $total frames in files, $(captured time) captured"
echo "ok: -G 1 -W 3 made 3 files ($(echo $gfiles)) and stopped"
echo "PASS"
