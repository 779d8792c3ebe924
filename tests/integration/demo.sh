#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Integration test of `tcpinspect demo` on this machine's loopback: every variant's
# conversation must show the RFC 9293 state paths, close kind and notes in its jsonl
# `connection` and `segment` records; the default output must draw the handshake in the
# ladder; -w must write a capture that replays to the same connection record; leftovers
# (listeners, established sockets) must be gone when demo returns. Each variant runs
# DEMO_ROUNDS times (default 3) so timing-dependent paths show up.
#
# usage: demo.sh PATH/TO/tcpinspect
# Needs root (packet capture on lo). Exits 77 (skip) only when not root; any other problem
# is a FAIL.
set -uo pipefail

BIN=${1:?usage: $0 PATH/TO/tcpinspect}
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: needs root (packet capture on lo)"
  exit 77
fi

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
for tool in python3 tshark ss; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool"
done
[ -x "$BIN" ] || fail "not executable: $BIN"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
ROUNDS=${DEMO_ROUNDS:-3}

WORK=$(mktemp -d /tmp/ti-demo-XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT

# check_jsonl VARIANT FILE: asserts on the records of one `demo --format jsonl` run.
check_jsonl() {
  python3 - "$1" "$2" <<'PY'
import json, sys

variant, path = sys.argv[1], sys.argv[2]
records = [json.loads(line) for line in open(path)]
segs = [r for r in records if r["type"] == "segment"]
conns = [r for r in records if r["type"] == "connection"]
errors = []

def expect(what, actual, *allowed):
    if actual not in allowed:
        errors.append(f"{what}: got {actual!r}, expected " + " or ".join(map(repr, allowed)))

expect("connections", len(conns), 1)
if len(conns) != 1:
    sys.exit("; ".join(errors))
c = conns[0]
ports = {c["client"].rsplit(":", 1)[0], c["server"].rsplit(":", 1)[0]}
expect("addresses", ports, {"127.0.0.1"})
for s in segs:
    for check in s["checks"]:
        if not check["ok"]:
            errors.append(f"frame {s['frame']}: check {check['rule']} failed: {check}")

def notes_of(direction, flag=None):
    return [n for s in segs if s["dir"] == direction and (flag is None or flag in s["flags"])
            for n in s["notes"]]

def handshake_and_data():
    # SYN, SYN-ACK, ACK: the first three segments, in that order.
    expect("handshake flags", [s["flags"] for s in segs[:3]],
           [["SYN"], ["SYN", "ACK"], ["ACK"]])
    expect("syn-ack acks", segs[1]["ack_sym"], "x+1")
    expect("handshake ack", (segs[2]["seq_sym"], segs[2]["ack_sym"]), ("x+1", "y+1"))
    expect("connect_returns on SYN-ACK", "connect_returns" in segs[1]["notes"], True)
    expect("accept_returns on ACK", "accept_returns" in segs[2]["notes"], True)
    # Both messages ("hello\n" + "bye\n") went each way exactly once as payload.
    expect("client_bytes", c["client_bytes"], 10)
    expect("server_bytes", c["server_bytes"], 10)

CLOSER = ["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT"]
PASSIVE_CLOSER = ["LISTEN", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"]

def first_fin(direction):
    for i, s in enumerate(segs):
        if s["dir"] == direction and "FIN" in s["flags"]:
            return i
    errors.append(f"no FIN {direction}")
    return None

def three_segment_close(closer_dir):
    # RFC 9293 allows the passive closer's FIN to carry the ACK of the first FIN (FIN,
    # FIN+ACK, ACK). Then the active closer goes FIN_WAIT_1 -> TIME_WAIT without a separate
    # FIN_WAIT_2 step. demo waits 250 ms before the second close() so Linux's delayed ACK
    # (<= 200 ms) goes out alone, but the shortcut is legitimate: accept it only when the
    # wire shows it, i.e. the first segment answering the FIN is itself a FIN.
    i = first_fin(closer_dir)
    if i is None:
        return False
    answers = [s for s in segs[i + 1:] if s["dir"] != closer_dir]
    return bool(answers) and "FIN" in answers[0]["flags"]

if variant == "client":
    handshake_and_data()
    client_path = CLOSER if not three_segment_close("c2s") else \
        ["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "TIME_WAIT"]
    expect("client_states", c["client_states"], client_path)
    expect("server_states", c["server_states"], PASSIVE_CLOSER)
    expect("close", c["close"], "graceful")
    expect("conn_state", c["conn_state"], "SF")
    expect("read_returns_0 on the client's FIN", "read_returns_0" in notes_of("c2s", "FIN"), True)
elif variant == "server":
    handshake_and_data()
    server_path = ["LISTEN", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT"]
    if three_segment_close("s2c"):
        server_path = ["LISTEN", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1", "TIME_WAIT"]
    expect("client_states", c["client_states"],
           ["CLOSED", "SYN_SENT", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"])
    expect("server_states", c["server_states"], server_path)
    expect("close", c["close"], "graceful")
    expect("conn_state", c["conn_state"], "SF")
    expect("read_returns_0 on the server's FIN", "read_returns_0" in notes_of("s2c", "FIN"), True)
elif variant == "rst":
    handshake_and_data()
    expect("client_states", c["client_states"], ["CLOSED", "SYN_SENT", "ESTABLISHED", "CLOSED"])
    expect("server_states", c["server_states"], ["LISTEN", "SYN_RCVD", "ESTABLISHED", "CLOSED"])
    expect("close", c["close"], "reset_by_client")
    expect("conn_state", c["conn_state"], "RSTO")
    expect("econnreset on the client's RST", "econnreset" in notes_of("c2s", "RST"), True)
    expect("FIN segments", sum("FIN" in s["flags"] for s in segs), 0)
    expect("last segment is the RST", "RST" in segs[-1]["flags"], True)
elif variant == "server-rst":
    handshake_and_data()
    expect("client_states", c["client_states"], ["CLOSED", "SYN_SENT", "ESTABLISHED", "CLOSED"])
    expect("server_states", c["server_states"], ["LISTEN", "SYN_RCVD", "ESTABLISHED", "CLOSED"])
    expect("close", c["close"], "reset_by_server")
    expect("conn_state", c["conn_state"], "RSTR")
    expect("econnreset on the server's RST", "econnreset" in notes_of("s2c", "RST"), True)
    expect("FIN segments", sum("FIN" in s["flags"] for s in segs), 0)
    expect("last segment is the RST", "RST" in segs[-1]["flags"], True)
elif variant == "half-close":
    handshake_and_data()
    expect("client_states", c["client_states"], CLOSER)
    expect("server_states", c["server_states"], PASSIVE_CLOSER)
    expect("close", c["close"], "graceful")
    # The server's reply: all 10 bytes, after the client's FIN, flagged half_close.
    hc = [s for s in segs if "half_close" in s["notes"]]
    expect("half_close segments", [(s["dir"], s["len"]) for s in hc], [("s2c", 10)])
    if hc:
        expect("client state before the reply", hc[0]["client_before"], "FIN_WAIT_2", "FIN_WAIT_1")
        expect("server state before the reply", hc[0]["server_before"], "CLOSE_WAIT")
elif variant == "refused":
    expect("segments", [s["flags"] for s in segs], [["SYN"], ["RST", "ACK"]])
    expect("client_states", c["client_states"], ["CLOSED", "SYN_SENT", "CLOSED"])
    expect("close", c["close"], "refused")
    expect("conn_state", c["conn_state"], "REJ")
    expect("econnrefused note", "econnrefused" in notes_of("s2c", "RST"), True)
    if len(segs) == 2:
        expect("RST acks", segs[1]["ack_sym"], "x+1")
else:
    errors.append(f"unknown variant {variant}")

if errors:
    sys.exit(f"{variant}: " + "; ".join(errors))
PY
}

# --- every variant, several rounds, jsonl --------------------------------------------------
declare -A FLAGS=([client]="" [server]="--close server" [rst]="--rst"
  [server-rst]="--close server --rst" [half-close]="--half-close" [refused]="--refused")
for round in $(seq 1 "$ROUNDS"); do
  for variant in client server rst server-rst half-close refused; do
    out=$WORK/$variant-$round.jsonl
    # shellcheck disable=SC2086  # FLAGS holds zero to two words on purpose
    "$BIN" demo ${FLAGS[$variant]} --format jsonl >"$out" 2>"$WORK/err" ||
      fail "demo $variant (round $round) exited $?: $(cat "$WORK/err")"
    if ! check_jsonl "$variant" "$out"; then
      cat "$out" >&2
      fail "demo $variant (round $round): see the records above"
    fi
    port=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["type"] == "connection": print(r["server"].rsplit(":", 1)[1])' "$out")
    # Server and client are stopped before demo returns: no listener, nothing established.
    [ -z "$(ss -Htln "sport = :$port")" ] || fail "$variant: a listener on $port outlived demo"
    [ -z "$(ss -Htn state established "( sport = :$port or dport = :$port )")" ] ||
      fail "$variant: a connection on $port is still established after demo"
  done
  echo "round $round: all variants ok"
done

# --- the default output: applications, annotated segments, ladder, explanation --------------
"$BIN" demo --color never >"$WORK/text.out" 2>"$WORK/err" || fail "demo (text) exited: $(cat "$WORK/err")"
for want in '=== What the applications did ===' 'connect() returned 0' 'accept() returned' \
  '=== What the wire carried' '=== The same segments as a ladder ===' '=== What happened ===' \
  '|--- SYN seq=x -' '|<-- SYN,ACK seq=y ack=x+1 -' '|--- ACK seq=x+1 ack=y+1 -' \
  'client: CLOSED → SYN_SENT → ESTABLISHED → FIN_WAIT_1' 'TIME_WAIT for 2\*MSL'; do
  grep -q -- "$want" "$WORK/text.out" || fail "default output lacks '$want'"
done
# The ladder draws the SYN from the client column (SYN_SENT) to the server's (SYN_RCVD).
grep -Eq '^[0-9.]+ +SYN_SENT +\|--- SYN seq=x -+>\| SYN_RCVD' "$WORK/text.out" ||
  fail "ladder: no SYN arrow from SYN_SENT to SYN_RCVD"
grep -Eq 'ESTABLISHED +\|<-- SYN,ACK seq=y ack=x\+1 -+\|' "$WORK/text.out" ||
  fail "ladder: no SYN-ACK arrow"
grep -Eq '\|--- ACK seq=x\+1 ack=y\+1 -+>\| ESTABLISHED' "$WORK/text.out" ||
  fail "ladder: no handshake ACK arrow"

# --- -w: the saved capture replays to the same connection --------------------------------
"$BIN" demo --close server -w "$WORK/demo.pcap" --format jsonl >"$WORK/w.jsonl" 2>"$WORK/err" ||
  fail "demo -w exited: $(cat "$WORK/err")"
frames=$(tshark -r "$WORK/demo.pcap" 2>/dev/null | wc -l)
seen=$(grep -c '"type":"segment"' "$WORK/w.jsonl")
[ "$frames" = "$seen" ] && [ "$frames" -ge 10 ] ||
  fail "-w: tshark reads $frames frames, demo annotated $seen"
"$BIN" replay "$WORK/demo.pcap" --no-checksums --format jsonl >"$WORK/replay.jsonl" ||
  fail "replay of the -w file failed"
diff <(grep '"type":"connection"' "$WORK/w.jsonl") <(grep '"type":"connection"' "$WORK/replay.jsonl") ||
  fail "-w: replaying the file gives a different connection record"

# -w where nothing can be written: one line, exit 1, before anything is captured.
"$BIN" demo --close server -w /dev/full --format jsonl >"$WORK/full.jsonl" 2>"$WORK/err"
rc=$?
[ "$rc" = 1 ] && [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q 'No space left on device' "$WORK/err" ||
  fail "demo -w /dev/full: expected exit 1 and one line naming the full disk, got $rc: $(cat "$WORK/err")"
# -w that fills up mid-capture (a 1 KiB file-size limit; SIGXFSZ ignored so write() fails
# with EFBIG as on a full disk): the demo is still shown in full, the file ends on a whole
# record, and one line says how far it got. (stdout goes through a pipe: no limit there.)
bash -c "trap '' XFSZ; ulimit -f 1; exec \"\$0\" demo --close server -w '$WORK/cut.pcap' --format jsonl" \
  "$BIN" 2>"$WORK/err" | cat >"$WORK/cut.jsonl"
rc=${PIPESTATUS[0]}
[ "$rc" = 1 ] || fail "demo -w over the file-size limit: exit $rc, expected 1"
grep -q 'write failed after [0-9]* frames: File too large; the file ends after frame' "$WORK/err" ||
  fail "demo -w over the file-size limit: no write-failure line: $(cat "$WORK/err")"
[ "$(grep -c '"type":"connection"' "$WORK/cut.jsonl")" = 1 ] ||
  fail "demo -w over the file-size limit: the analysis was not shown in full"
tshark -r "$WORK/cut.pcap" 2>&1 >/dev/null | grep -v "Running as user" >"$WORK/tshark.err"
cut_frames=$(tshark -r "$WORK/cut.pcap" 2>/dev/null | wc -l)
[ -s "$WORK/tshark.err" ] && fail "the cut file is not a clean pcap: $(cat "$WORK/tshark.err")"
grep -q "write failed after $cut_frames frames" "$WORK/err" ||
  fail "the cut file holds $cut_frames frames, the message says otherwise: $(cat "$WORK/err")"

# --- usage and privilege errors -----------------------------------------------------------
"$BIN" demo --close server --half-close >/dev/null 2>"$WORK/err"
rc=$?
[ "$rc" = 2 ] || fail "--close server --half-close: exit $rc, expected 2"
grep -q 'choose one of' "$WORK/err" || fail "--close server --half-close: message was: $(cat "$WORK/err")"
"$BIN" demo --rst --refused >/dev/null 2>"$WORK/err"
rc=$?
[ "$rc" = 2 ] || fail "--rst --refused: exit $rc, expected 2"
if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups \
  --inh-caps=-all true 2>/dev/null; then
  setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BIN" demo \
    >"$WORK/np.out" 2>"$WORK/np.err"
  rc=$?
  [ "$rc" = 1 ] || fail "without privilege: exit $rc, expected 1"
  [ "$(wc -l <"$WORK/np.err")" = 1 ] && grep -q 'CAP_NET_RAW' "$WORK/np.err" ||
    fail "without privilege: expected one line naming CAP_NET_RAW, got: $(cat "$WORK/np.err")"
  [ ! -s "$WORK/np.out" ] || fail "without privilege: something was printed on stdout"
fi

echo "PASS: demo (all variants x $ROUNDS rounds, text/ladder, -w, errors)"
