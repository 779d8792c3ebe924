#!/usr/bin/env bash
# The echo server's lab closing behaviours, observed on the wire by tcpinspect's own live
# trace on lo: --close-after (the server closes first) and --rst (the server aborts). Asserts
# the state paths of both sides from the connection record. Root (live capture); exits 77
# only when not root. Every process started here is stopped here, by PID.
set -uo pipefail
bin=${1:?usage: echo_wire.sh PATH/TO/tcpinspect}
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root for live capture"; exit 77; }
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0 passed=0

# run_case NAME SERVER_FLAGS... -- prints the jsonl of the traced conversation into $tmp/NAME.jsonl
run_case() {
  local name=$1
  shift
  "$bin" echo-server --bind 127.0.0.1 --port 0 "$@" >"$tmp/$name.server" 2>&1 &
  local server=$!
  pids+=("$server")
  local port=""
  for _ in $(seq 50); do
    port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$tmp/$name.server" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "FAIL $name: echo-server did not start"; return 1; }
  # Checksums on lo are left to offload, so they are not verified here.
  "$bin" trace lo --format jsonl --no-checksums "tcp port $port" >"$tmp/$name.jsonl" 2>"$tmp/$name.trace" &
  local trace=$!
  pids+=("$trace")
  for _ in $(seq 50); do grep -q "listening on" "$tmp/$name.trace" 2>/dev/null && break; sleep 0.1; done
  sleep 0.3
  "$bin" echo-client "127.0.0.1:$port" --send "hello, world" --timeout 3 >"$tmp/$name.client" 2>&1
  sleep 0.5  # let the last segments reach the capture
  kill -INT "$trace"
  wait "$trace" 2>/dev/null
  kill -TERM "$server"
  wait "$server" 2>/dev/null
}

# check NAME PYTHON_CONDITION_ON_c (the connection record) -- with a readable message
check() {
  local name=$1 cond=$2 what=$3
  if python3 - "$tmp/$name.jsonl" "$cond" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
conns = [r for r in records if r["type"] == "connection"]
segs = [r for r in records if r["type"] == "segment"]
if len(conns) != 1:
    print(f"expected one connection, got {len(conns)}")
    sys.exit(1)
c = conns[0]
notes = [n for s in segs for n in s["notes"]]
ok = eval(sys.argv[2], {"c": c, "segs": segs, "notes": notes})
if not ok:
    print("client_states", c["client_states"], "server_states", c["server_states"],
          "close", c["close"], "notes", sorted(set(notes)))
sys.exit(0 if ok else 1)
PY
  then passed=$((passed + 1)); else
    echo "FAIL $name: $what"
    failures=$((failures + 1))
  fi
}

run_case close_after --close-after 5
check close_after 'c["close"] == "graceful"' "server closes first, gracefully"
check close_after 'c["client_states"] == ["CLOSED","SYN_SENT","ESTABLISHED","CLOSE_WAIT","LAST_ACK","CLOSED"]' \
  "client: ... ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED"
# The client's ACK of the server's FIN may ride on its own FIN (a three-segment close), in
# which case FIN_WAIT_2 is skipped, exactly as RFC 9293 says.
check close_after 'c["server_states"] in (["LISTEN","SYN_RCVD","ESTABLISHED","FIN_WAIT_1","FIN_WAIT_2","TIME_WAIT"], ["LISTEN","SYN_RCVD","ESTABLISHED","FIN_WAIT_1","TIME_WAIT"])' \
  "server: ... ESTABLISHED, FIN_WAIT_1, (FIN_WAIT_2,) TIME_WAIT"
check close_after '"read_returns_0" in notes and c["server_bytes"] == 5' "client read 5 bytes then EOF"

# The server closes when the client does (the client's FIN makes its read() return 0), and
# with --rst that close is an abort: the client's FIN is answered by RST, never by a FIN.
run_case rst --rst
check rst 'c["close"] == "reset_by_server"' "server aborts with RST"
check rst 'c["client_states"] in (["CLOSED","SYN_SENT","ESTABLISHED","FIN_WAIT_1","CLOSED"], ["CLOSED","SYN_SENT","ESTABLISHED","FIN_WAIT_1","FIN_WAIT_2","CLOSED"]) and c["server_states"] == ["LISTEN","SYN_RCVD","ESTABLISHED","CLOSE_WAIT","CLOSED"]' \
  "client FIN_WAIT_1 (or _2) -> CLOSED, server CLOSE_WAIT -> CLOSED by the RST"
check rst '"econnreset" in notes and "RST" in segs[-1]["flags"] and segs[-1]["dir"] == "s2c" and not any("FIN" in s["flags"] for s in segs if s["dir"] == "s2c")' \
  "the server answers with RST (ECONNRESET), never FIN"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
