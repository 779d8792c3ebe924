#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Integration test of `tcpinspect trace` and `tcpinspect interfaces` on a veth pair between
# two network namespaces made here: a real connect()/send()/close() is annotated live, the
# -w file matches what was annotated (also after SIGINT/SIGTERM), -c and --duration stop the
# capture, -Z drops root, and the error lines for an unknown interface.
#
# usage: trace_netns.sh PATH/TO/tcpinspect
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
for tool in ip python3 tshark; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool"
done
[ -x "$BIN" ] || fail "not executable: $BIN"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

ID=$$
NS_C=ti-trace-$ID-c
NS_S=ti-trace-$ID-s
VC=titr${ID}c
VS=titr${ID}s
IP_C=10.201.0.1
IP_S=10.201.0.2
PORT=5001
WORK=$(mktemp -d /tmp/ti-trace-XXXXXX)
chmod 755 "$WORK"
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  ip netns del "$NS_C" 2>/dev/null
  ip netns del "$NS_S" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS_C" || fail "ip netns add $NS_C"
ip netns add "$NS_S" || fail "ip netns add $NS_S"
ip link add "$VC" netns "$NS_C" type veth peer name "$VS" netns "$NS_S" || fail "veth pair"
ip -n "$NS_C" addr add $IP_C/24 dev "$VC" || fail "address $IP_C"
ip -n "$NS_S" addr add $IP_S/24 dev "$VS" || fail "address $IP_S"
for ns in "$NS_C" "$NS_S"; do ip -n "$ns" link set lo up; done
ip -n "$NS_C" link set "$VC" up || fail "link up $VC"
ip -n "$NS_S" link set "$VS" up || fail "link up $VS"

# Starts `tcpinspect trace ARGS` in the server namespace, output in $WORK/NAME.{out,err};
# sets TRACE_PID and waits for the "listening on" line (5 s at most).
start_trace() {
  local name=$1
  shift
  ip netns exec "$NS_S" "$BIN" trace "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  TRACE_PID=$!
  PIDS+=("$TRACE_PID")
  for _ in $(seq 50); do
    grep -q "listening on" "$WORK/$name.err" 2>/dev/null && return 0
    kill -0 "$TRACE_PID" 2>/dev/null || fail "$name: trace exited early: $(cat "$WORK/$name.err")"
    sleep 0.1
  done
  fail "$name: no 'listening on' line within 5 s: $(cat "$WORK/$name.err")"
}

# Waits (10 s at most) for TRACE_PID to exit; sets TRACE_RC.
wait_trace() {
  local name=$1
  for _ in $(seq 100); do
    kill -0 "$TRACE_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$TRACE_PID" 2>/dev/null && fail "$name: trace still running after 10 s"
  wait "$TRACE_PID"
  TRACE_RC=$?
}

# One TCP conversation, client first to close: the server acknowledges the client's FIN,
# waits, then closes, so the client passes through FIN_WAIT_2.
conversation() {
  ip netns exec "$NS_S" python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('$IP_S', $PORT)); s.listen(1); s.settimeout(10)
open('$WORK/listening', 'w').close()
c, _ = s.accept(); c.settimeout(10)
data = b''
while True:
    b = c.recv(100)
    if not b: break
    data += b
assert data == b'hello', data
time.sleep(0.3)
c.close(); s.close()
" &
  local server=$!
  PIDS+=("$server")
  for _ in $(seq 50); do
    [ -e "$WORK/listening" ] && break
    sleep 0.1
  done
  [ -e "$WORK/listening" ] || fail "test server did not start"
  rm -f "$WORK/listening"
  ip netns exec "$NS_C" timeout 10 python3 -c "
import socket
c = socket.create_connection(('$IP_S', $PORT), timeout=10)
c.sendall(b'hello')
c.close()
" || fail "test client failed"
  wait "$server" || fail "test server failed"
}

frames_in() { tshark -r "$1" 2>/dev/null | wc -l; }
captured_in() { sed -n 's/^\([0-9]*\) packets captured$/\1/p' "$1"; }

# --- interfaces lists the veth, with its address ---------------------------------------
ip netns exec "$NS_S" "$BIN" interfaces >"$WORK/if.out" 2>&1 || fail "interfaces exited non-zero"
grep -q "^$VS \[up" "$WORK/if.out" || fail "interfaces does not list $VS up: $(cat "$WORK/if.out")"
grep -q "^    $IP_S/24\$" "$WORK/if.out" || fail "interfaces does not show $IP_S/24"
echo "ok: interfaces lists $VS"

# --- unknown interface: exit 1, one line, the list ------------------------------------
ip netns exec "$NS_S" "$BIN" trace tinosuch0 >"$WORK/unk.out" 2>"$WORK/unk.err"
rc=$?
[ "$rc" = 1 ] || fail "unknown interface: exit $rc, want 1"
[ "$(wc -l <"$WORK/unk.err")" = 1 ] || fail "unknown interface: not one line: $(cat "$WORK/unk.err")"
grep -q "^tcpinspect: no interface named 'tinosuch0'; available: .*$VS" "$WORK/unk.err" ||
  fail "unknown interface message: $(cat "$WORK/unk.err")"
echo "ok: unknown interface"

# --- the conversation, live, stopped by SIGINT --------------------------------------
start_trace main "$VS" --format jsonl -w "$WORK/main.pcap" tcp port $PORT
conversation
# The annotations must appear while trace runs (blocks handed over within 10 ms, output
# flushed per batch), not at exit: wait up to 5 s for all nine segments, before SIGINT.
for _ in $(seq 50); do
  live_lines=$(grep -c '"type":"segment"' "$WORK/main.out")
  [ "$live_lines" -ge 9 ] && break
  sleep 0.1
done
[ "$live_lines" -ge 9 ] || fail "only $live_lines segment lines before SIGINT: output is held back"
kill -INT "$TRACE_PID"
wait_trace main
[ "$TRACE_RC" = 0 ] || fail "trace after SIGINT exited $TRACE_RC: $(cat "$WORK/main.err")"
python3 - "$WORK/main.out" <<'PY' || fail "jsonl content (see above)"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
conns = [r for r in recs if r["type"] == "connection"]
segs = [r for r in recs if r["type"] == "segment"]
assert len(conns) == 1, conns
c = conns[0]
want_c = ["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT"]
want_s = ["LISTEN", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"]
assert c["client_states"] == want_c, c["client_states"]
assert c["server_states"] == want_s, c["server_states"]
assert c["client"].startswith("10.201.0.1:") and c["server"] == "10.201.0.2:5001", c
assert segs[0]["flags"] == ["SYN"] and segs[0]["client_state"] == "SYN_SENT", segs[0]
assert [s["frame"] for s in segs] == list(range(1, len(segs) + 1))
assert all(ch["ok"] for s in segs for ch in s.get("checks", [])), "a check failed"
stats = [r for r in recs if r["type"] == "stats"]
assert len(stats) == 1 and stats[0]["frames"] == len(segs), stats
print(len(segs))
PY
segments=$(python3 -c "import json,sys; print(sum(json.loads(l)['type']=='segment' for l in open(sys.argv[1])))" "$WORK/main.out")
[ "$(frames_in "$WORK/main.pcap")" = "$segments" ] ||
  fail "-w file has $(frames_in "$WORK/main.pcap") frames, trace annotated $segments"
[ "$(captured_in "$WORK/main.err")" = "$segments" ] || fail "stderr count: $(cat "$WORK/main.err")"
grep -q "^[0-9]* packets received by filter$" "$WORK/main.err" || fail "no 'received by filter'"
grep -q "^0 packets dropped by kernel$" "$WORK/main.err" || fail "kernel drops: $(cat "$WORK/main.err")"
echo "ok: live conversation, $segments segments, state paths, -w file after SIGINT"

# --- -c 3 stops by itself after exactly 3 frames -------------------------------------
start_trace count "$VS" --format jsonl -c 3 -w "$WORK/count.pcap" tcp port $PORT
conversation
wait_trace count
[ "$TRACE_RC" = 0 ] || fail "-c 3 exited $TRACE_RC"
[ "$(grep -c '"type":"segment"' "$WORK/count.out")" = 3 ] || fail "-c 3 annotated $(grep -c '"type":"segment"' "$WORK/count.out")"
[ "$(frames_in "$WORK/count.pcap")" = 3 ] || fail "-c 3: -w file has $(frames_in "$WORK/count.pcap") frames"
[ "$(captured_in "$WORK/count.err")" = 3 ] || fail "-c 3: $(cat "$WORK/count.err")"
echo "ok: -c 3"

# --- --duration 2 stops without any traffic ------------------------------------------
t0=$(date +%s%N)
start_trace duration "$VS" --duration 2 -w "$WORK/duration.pcap" tcp port $PORT
wait_trace duration
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
[ "$TRACE_RC" = 0 ] || fail "--duration exited $TRACE_RC"
[ "$elapsed_ms" -ge 1900 ] && [ "$elapsed_ms" -le 5000 ] || fail "--duration 2 took $elapsed_ms ms"
[ "$(frames_in "$WORK/duration.pcap")" = 0 ] || fail "--duration: frames in an idle capture"
tshark -r "$WORK/duration.pcap" >/dev/null 2>&1 || fail "--duration: tshark cannot read the empty file"
echo "ok: --duration 2 (${elapsed_ms} ms)"

# --- -Z nobody drops root; SIGTERM still leaves a complete file -----------------------
start_trace dropz "$VS" --format text -Z nobody -w "$WORK/z.pcap" tcp port $PORT
uid_line=$(grep '^Uid:' "/proc/$TRACE_PID/status" | tr -s '\t ' ' ')
[ "$uid_line" = "Uid: 65534 65534 65534 65534" ] || fail "-Z nobody: $uid_line"
gid_line=$(grep '^Gid:' "/proc/$TRACE_PID/status" | tr -s '\t ' ' ')
nogroup=$(id -g nobody)
[ "$gid_line" = "Gid: $nogroup $nogroup $nogroup $nogroup" ] || fail "-Z nobody: $gid_line"
[ "$(grep '^CapEff:' "/proc/$TRACE_PID/status" | awk '{print $2}')" = 0000000000000000 ] ||
  fail "-Z nobody: capabilities left"
conversation
for _ in $(seq 10); do
  [ "$(frames_in "$WORK/z.pcap")" -ge 9 ] && break
  sleep 0.5
done
kill -TERM "$TRACE_PID"
wait_trace dropz
[ "$TRACE_RC" = 0 ] || fail "-Z run exited $TRACE_RC: $(cat "$WORK/dropz.err")"
zframes=$(frames_in "$WORK/z.pcap")
[ "$zframes" -ge 9 ] && [ "$(captured_in "$WORK/dropz.err")" = "$zframes" ] ||
  fail "-Z run: pcap has $zframes frames; $(cat "$WORK/dropz.err")"
grep -q "client CLOSED → SYN_SENT → ESTABLISHED → FIN_WAIT_1 → FIN_WAIT_2 → TIME_WAIT" "$WORK/dropz.out" ||
  fail "-Z run: no client state path in the text summary"
echo "ok: -Z nobody (uid 65534, no capabilities), SIGTERM"

# --- --format html -o FILE: the report is complete in the file when the capture ends ---
start_trace html "$VS" --format html -o "$WORK/report.html" -w "$WORK/html.pcap" tcp port $PORT
conversation
for _ in $(seq 10); do
  [ "$(frames_in "$WORK/html.pcap")" -ge 9 ] && break
  sleep 0.5
done
kill -INT "$TRACE_PID"
wait_trace html
[ "$TRACE_RC" = 0 ] || fail "html run exited $TRACE_RC: $(cat "$WORK/html.err")"
[ -s "$WORK/html.out" ] && fail "html run: standard output not empty with -o"
tail -1 "$WORK/report.html" | grep -q '^</body></html>$' || fail "html run: report not finished"
# The connection's line: client path CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2
# TIME_WAIT as state numbers (docs/report.md).
grep -q ',\[0,2,4,5,6,10\],' "$WORK/report.html" || fail "html run: no client state path"
echo "ok: trace --format html -o"

# --- -Z with an unknown user: one line, exit 1 ---------------------------------------
ip netns exec "$NS_S" "$BIN" trace "$VS" -Z ti-no-such-user >/dev/null 2>"$WORK/zu.err"
rc=$?
[ "$rc" = 1 ] && [ "$(cat "$WORK/zu.err")" = "tcpinspect: -Z: no user named 'ti-no-such-user'" ] ||
  fail "-Z unknown user: exit $rc: $(cat "$WORK/zu.err")"
echo "ok: -Z unknown user"

# --- bad filter: one line, exit 1 -------------------------------------------------------
ip netns exec "$NS_S" "$BIN" trace "$VS" tcp port >/dev/null 2>"$WORK/bf.err"
rc=$?
[ "$rc" = 1 ] && [ "$(wc -l <"$WORK/bf.err")" = 1 ] &&
  grep -q "^tcpinspect: bad filter expression 'tcp port': " "$WORK/bf.err" ||
  fail "bad filter: exit $rc: $(cat "$WORK/bf.err")"
echo "ok: bad filter"

echo "PASS: trace_netns"
