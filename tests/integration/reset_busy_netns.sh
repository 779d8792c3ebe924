#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `tcpinspect reset` against connections that are talking, between two network namespaces
# joined by a veth pair (server 10.204.0.1 in S, client 10.204.0.2 in C). The victim is
# the client; success is the client application's own recv()/send() failing with
# ECONNRESET, asserted on every run:
#  - RUNS times (default 20) each: a client sending one byte every 100 ms and every 10 ms
#    to an echo server (the race of the issue: the server's echo moves the client's RCV.NXT
#    just before the RST), and a client sending in bulk to a sink; reset runs in the
#    server's namespace, whose lo is left down (only a local victim needs lo);
#  - from the victim's own namespace (the RST then travels over lo): the kernel's
#    tcp:tcp_receive_reset tracepoint confirms the reset, and no tracefs instance is left;
#  - --offset draws a challenge ACK and the connection survives (one attempt, as asked).
#
# usage: reset_busy_netns.sh PATH/TO/tcpinspect
# Needs root. Exits 77 (skip) only when not root; anything else that goes wrong is a FAIL.
set -uo pipefail

BIN=${1:?usage: $0 PATH/TO/tcpinspect}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/netns_lib.sh"
netns_require_root "network namespaces, raw sockets, tracefs" ip python3 timeout
[ -x "$BIN" ] || fail "not executable: $BIN"

PEERS="$HERE/tcp_peers.py"
RUNS=${RUNS:-20}
ID=$$
NS_S=ti-rst-$ID-s
NS_C=ti-rst-$ID-c
VS=tirs${ID}s
VC=tirs${ID}c
S4=10.204.0.1
C4=10.204.0.2
WORK=$(mktemp -d /tmp/ti-reset-XXXXXX)
NETNS_NAMES=("$NS_S" "$NS_C")
NETNS_WORK=$WORK
trap netns_cleanup EXIT
in_s() { ip netns exec "$NS_S" "$@"; }
in_c() { ip netns exec "$NS_C" "$@"; }

ip netns add "$NS_S" || fail "ip netns add"
ip netns add "$NS_C" || fail "ip netns add"
ip link add "$VS" type veth peer name "$VC" || fail "veth"
ip link set "$VS" netns "$NS_S" && ip link set "$VC" netns "$NS_C" || fail "veth into namespaces"
in_s ip addr add $S4/24 dev "$VS" && in_s ip link set "$VS" up || fail "S address"
in_c ip addr add $C4/24 dev "$VC" && in_c ip link set "$VC" up && in_c ip link set lo up ||
  fail "C address"
# S keeps lo down: reset run there resets a remote victim and must not need it.
in_s ip link show lo | grep -q 'state DOWN' || fail "lo in S is not down"

in_s python3 "$PEERS" echo-server $S4 5001 >"$WORK/echo.log" 2>&1 &
in_s python3 "$PEERS" sink-server $S4 5002 >"$WORK/sink.log" 2>&1 &
wait_for "$WORK/echo.log"
wait_for "$WORK/sink.log"

# One reset of a fresh client connection. Sets RESET_OUT and CLIENT_OUT.
#   reset_once TAG TOOL_NS IFACE CLIENT_MODE CLIENT_ARGS... -- RESET_ARGS...
reset_once() {
  local tag=$1 tool_ns=$2 iface=$3 mode=$4
  shift 4
  local client_args=() reset_args=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do client_args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  reset_args=("$@")
  CLIENT_OUT="$WORK/client-$tag.out"
  RESET_OUT="$WORK/reset-$tag.txt"
  in_c timeout 30 python3 "$PEERS" "$mode" "${client_args[@]}" >"$CLIENT_OUT" 2>&1 &
  local client_pid=$!
  wait_for "$CLIENT_OUT"
  local port
  port=$(head -1 "$CLIENT_OUT")
  sleep 0.3  # the client is talking
  ip netns exec "$tool_ns" timeout 30 "$BIN" reset --conn "$S4:${client_args[1]},$C4:$port" \
    -i "$iface" --wait 10 "${reset_args[@]}" >"$RESET_OUT" 2>&1
  local rc=$?
  [ $rc = 0 ] || fail "reset $tag exited $rc: $(cat "$RESET_OUT")"
  wait "$client_pid"
  CLIENT_RC=$?
}

# RUNS resets of one kind; all must reset the client.
reset_many() {  # label, then reset_once's arguments after TAG
  local label=$1
  shift
  local ok=0 attempts_total=0
  for i in $(seq "$RUNS"); do
    reset_once "$label-$i" "$@"
    if [ "$CLIENT_RC" = 0 ] && grep -q ECONNRESET "$CLIENT_OUT"; then
      ok=$((ok + 1))
    else
      echo "--- run $i: client: $(tail -1 "$CLIENT_OUT")" >&2
      sed 's/^/    /' "$RESET_OUT" >&2
    fi
    attempts_total=$((attempts_total + 1 + $(grep -c '^attempt [0-9]* of' "$RESET_OUT")))
  done
  echo "ok: $label: $ok/$RUNS clients got ECONNRESET ($attempts_total attempts in all)"
  [ "$ok" = "$RUNS" ] || fail "$label: only $ok of $RUNS resets took"
}

# ONLY_LOCAL=1 skips the RUNS-times cases (when working on the others).
if [ -z "${ONLY_LOCAL:-}" ]; then
  reset_many echo-100ms "$NS_S" "$VS" echo-client $S4 5001 0.1 15 --
  sed 's/^/    /' "$RESET_OUT"
  reset_many echo-10ms "$NS_S" "$VS" echo-client $S4 5001 0.01 15 --
  reset_many bulk "$NS_S" "$VS" bulk-client $S4 5002 15 --
  sed 's/^/    /' "$RESET_OUT"
fi

# --spray 3, as tcpkill: RCV.NXT and two windows further; the exact one resets the client.
reset_once spray "$NS_S" "$VS" echo-client $S4 5001 0.1 15 -- --spray 3
[ "$CLIENT_RC" = 0 ] && grep -q ECONNRESET "$CLIENT_OUT" || fail "--spray 3 did not reset: $(cat "$RESET_OUT")"
grep -Eq '^spray: then seq=[0-9]+, [0-9]+, a window of 10.204.0.2:[0-9]+ \([0-9]+ on the wire\) apart, as tcpkill aims; RFC 5961' "$RESET_OUT" ||
  fail "--spray 3: no spray line: $(cat "$RESET_OUT")"
[ "$(grep -c '^sent .*\[RST\]' "$RESET_OUT")" = 3 ] || fail "--spray 3: not 3 RSTs sent: $(cat "$RESET_OUT")"
echo "ok: --spray 3 (tcpkill's window steps): three RSTs, the exact one reset the client"

# From the victim's namespace: the kernel says it took the RST, and cleans up after itself.
reset_once local-echo "$NS_C" "$VC" echo-client $S4 5001 0.01 15 --
[ "$CLIENT_RC" = 0 ] && grep -q ECONNRESET "$CLIENT_OUT" ||
  fail "local victim not reset: $(cat "$CLIENT_OUT") $(cat "$RESET_OUT")"
grep -q "^kernel: tcp:tcp_receive_reset for $C4:[0-9]*'s socket: the RST was accepted" "$RESET_OUT" ||
  fail "no kernel confirmation: $(cat "$RESET_OUT")"
sed 's/^/    /' "$RESET_OUT"
TRACING=/sys/kernel/tracing
[ -d "$TRACING/instances" ] || TRACING=/sys/kernel/debug/tracing
# Instances whose process is gone (other tests may run a reset of their own meanwhile).
orphan_instances() {
  for d in "$TRACING"/instances/tcpinspect-*; do
    [ -d "$d" ] || continue
    kill -0 "${d##*-}" 2>/dev/null || echo "${d##*/}"
  done
}
[ -z "$(orphan_instances)" ] || fail "tracefs instances left behind: $(orphan_instances)"
echo "ok: local victim: tcp:tcp_receive_reset confirmed the reset; no tracefs instance left"

# Ctrl-C while waiting: exit 130, and the tracefs instance goes with it. (ip netns exec and
# timeout exec and forward the signal; $! is the process it goes to.)
ip netns exec "$NS_C" timeout 30 "$BIN" reset --conn "$S4:5001,$C4:1" -i "$VC" --wait 20 \
  >"$WORK/reset-int.txt" 2>&1 &
INT_PID=$!
for _ in $(seq 100); do
  grep -q "^the kernel's tcp:tcp_receive_reset" "$WORK/reset-int.txt" && break
  sleep 0.1
done
ls "$TRACING/instances" | grep -q '^tcpinspect-' || fail "no tracefs instance while reset runs"
kill -INT "$INT_PID"
wait "$INT_PID"
RC=$?
[ $RC = 130 ] || fail "reset after SIGINT exited $RC: $(cat "$WORK/reset-int.txt")"
[ -z "$(orphan_instances)" ] || fail "SIGINT left a tracefs instance: $(orphan_instances)"
echo "ok: Ctrl-C while waiting: exit 130, the tracefs instance removed"

# A local victim with lo down: the RST could never arrive (lo carries every packet for an
# address of the host), so reset says so and exits non-zero instead of trying.
in_c ip link set lo down || fail "lo down in C"
in_c timeout 30 python3 "$PEERS" echo-client $S4 5001 0.1 3 >"$WORK/client-lodown.out" 2>&1 &
LODOWN_CLIENT=$!
wait_for "$WORK/client-lodown.out"
PORT=$(head -1 "$WORK/client-lodown.out")
in_c timeout 30 "$BIN" reset --conn "$S4:5001,$C4:$PORT" -i "$VC" --wait 5 >"$WORK/reset-lodown.txt" 2>&1
RC=$?
[ $RC != 0 ] || fail "reset of a local victim with lo down exited 0: $(cat "$WORK/reset-lodown.txt")"
grep -q "^tcpinspect: $C4:$PORT is an address of this host, so the RST reaches it only over lo, and lo is down" \
  "$WORK/reset-lodown.txt" || fail "lo down: unexpected message: $(cat "$WORK/reset-lodown.txt")"
[ "$(wc -l <"$WORK/reset-lodown.txt")" = 1 ] || fail "lo down: more than one line: $(cat "$WORK/reset-lodown.txt")"
wait "$LODOWN_CLIENT"
in_c ip link set lo up || fail "lo up in C"
echo "ok: local victim with lo down: one-line error, exit $RC"

# --offset: one attempt, a challenge ACK, the connection survives.
reset_once offset "$NS_S" "$VS" echo-client $S4 5001 0.1 3 -- --offset 1000
grep -q '^outcome: 10.204.0.2:[0-9]* answered with a challenge ACK' "$RESET_OUT" ||
  fail "--offset: no challenge ACK outcome: $(cat "$RESET_OUT")"
grep -q '^attempt 2' "$RESET_OUT" && fail "--offset tried again: $(cat "$RESET_OUT")"
[ "$CLIENT_RC" = 1 ] || fail "--offset reset the client: $(cat "$CLIENT_OUT")"
echo "ok: --offset 1000: a challenge ACK, one attempt, the client kept talking"
echo "PASS"
