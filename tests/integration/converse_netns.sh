#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `tcpinspect converse`: a whole conversation from user space against a real Linux listener,
# between two network namespaces (server 10.208.0.1 / fd00:208::1 in S, client .2 / ::2 in C):
#  - the handshake completes (no RST from the client's kernel: the guard holds it), the data
#    reaches the server's application (asserted from what it recorded), oow draws the
#    predicted duplicate ACK, rst:1000 the predicted challenge ACK, fin closes cleanly
#    (the server's application reads EOF, not ECONNRESET); IPv4 and IPv6;
#  - while a guard is up, a parallel connection between the same hosts is untouched, and
#    the client's kernel still refuses a connection to a closed port with RST;
#  - no nftables rule is left: after a clean run, after Ctrl-C (exit 130), and after SIGKILL
#    of a run followed by a new run (which removes the orphan);
#  - without CAP_NET_ADMIN the guard cannot be added: one line, exit 1, nothing sent.
#
# usage: converse_netns.sh PATH/TO/tcpinspect
# Needs root. Exits 77 (skip) only when not root; anything else that goes wrong is a FAIL.
set -uo pipefail

BIN=${1:?usage: $0 PATH/TO/tcpinspect}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/netns_lib.sh"
netns_require_root "network namespaces, raw sockets, nftables" ip nft python3 timeout setpriv
[ -x "$BIN" ] || fail "not executable: $BIN"

PEERS="$HERE/tcp_peers.py"
ID=$$
NS_S=ti-conv-$ID-s
NS_C=ti-conv-$ID-c
VS=ticv${ID}s
VC=ticv${ID}c
S4=10.208.0.1
C4=10.208.0.2
S6=fd00:208::1
C6=fd00:208::2
WORK=$(mktemp -d /tmp/ti-converse-XXXXXX)
NETNS_NAMES=("$NS_S" "$NS_C")
NETNS_WORK=$WORK
trap netns_cleanup EXIT
in_s() { ip netns exec "$NS_S" "$@"; }
in_c() { ip netns exec "$NS_C" "$@"; }
no_guard_left() {  # what
  if in_c nft list ruleset | grep -q tcpinspect; then
    fail "$1: nftables rules left behind: $(in_c nft list ruleset)"
  fi
}

ip netns add "$NS_S" && ip netns add "$NS_C" || fail "ip netns add"
ip link add "$VS" type veth peer name "$VC" || fail "veth"
ip link set "$VS" netns "$NS_S" && ip link set "$VC" netns "$NS_C" || fail "veth into namespaces"
in_s ip addr add $S4/24 dev "$VS" && in_s ip addr add $S6/64 dev "$VS" nodad &&
  in_s ip link set "$VS" up && in_s ip link set lo up || fail "S addresses"
in_c ip addr add $C4/24 dev "$VC" && in_c ip addr add $C6/64 dev "$VC" nodad &&
  in_c ip link set "$VC" up && in_c ip link set lo up || fail "C addresses"

in_s python3 "$PEERS" record-server $S4 5001 "$WORK/record4" >"$WORK/server4.log" 2>&1 &
in_s python3 "$PEERS" record-server $S6 5001 "$WORK/record6" >"$WORK/server6.log" 2>&1 &
in_s python3 "$PEERS" echo-server $S4 5003 >"$WORK/echo.log" 2>&1 &
wait_for "$WORK/server4.log" listening
wait_for "$WORK/server6.log" listening
wait_for "$WORK/echo.log" listening

# --- the whole conversation, IPv4 and IPv6 ---------------------------------------------
talk() {  # tag, target, sport
  local out="$WORK/converse-$1.txt"
  in_c timeout 30 "$BIN" converse "$2" --sport "$3" 'data:hello\n' oow 'rst:1000' \
    'data:bye\n' fin >"$out" 2>&1
  local rc=$?
  [ $rc = 0 ] || fail "converse $1 exited $rc: $(cat "$out")"
  expect_line "$out" '^reply .*\[SYN,ACK\].*<- as predicted: ack = your seq\+1$' "$1: SYN-ACK"
  expect_line "$out" '^ack .*\(ours: the handshake.s third segment\)$' "$1: our ACK"
  expect_line "$out" '^expect +ACK expected, ack=your seq\+6 ' "$1: data expectation"
  expect_line "$out" '^reply .*\[ACK\].*<- as predicted: ack = your seq\+6$' "$1: data ACKed"
  expect_line "$out" 'out-of-order or old segment: an ACK with RCV.NXT' "$1: oow expectation"
  expect_line "$out" '<- as predicted: ack = your seq-[0-9]+$' "$1: oow duplicate ACK"
  expect_line "$out" 'a challenge ACK, the connection lives' "$1: rst:1000 expectation"
  expect_line "$out" '<- as predicted: ack = your seq-1000$' "$1: challenge ACK"
  expect_line "$out" '^outcome: closed cleanly: both FINs sent and acknowledged' "$1: clean close"
  expect_line "$out" '^guard +removed$' "$1: guard removed"
  # The scripted RST twice (as sent, and in the annotated capture), and no other: the
  # client's kernel never answered the SYN-ACK.
  [ "$(grep -c '\[RST\]' "$out")" = 2 ] || fail "$1: a RST other than the scripted one: $(cat "$out")"
  no_guard_left "$1"
}
talk v4 "$S4:5001" 41001
talk v6 "[$S6]:5001" 41002
sleep 0.3
# The server's application got both lines and a clean end of file (hex of "hello\nbye\n").
WANT=68656c6c6f0a6279650a
grep -q "^41001 eof $WANT\$" "$WORK/record4" || fail "IPv4 server recorded: $(cat "$WORK/record4")"
grep -q "^41002 eof $WANT\$" "$WORK/record6" || fail "IPv6 server recorded: $(cat "$WORK/record6")"
sed 's/^/    /' "$WORK/converse-v4.txt" | head -30
echo "ok: converse IPv4 and IPv6: handshake, data received by the server's application, oow and rst:1000 answered as predicted, clean close, no rule left"

# --- other traffic while a guard is up ---------------------------------------------------
in_c timeout 30 "$BIN" converse "$S4:5001" --sport 41003 'data:x' 'wait:4s' fin \
  >"$WORK/converse-parallel.txt" 2>&1 &
CONV=$!
wait_for "$WORK/converse-parallel.txt" "^wait"
in_c nft list ruleset | grep -q 'tcp sport 41003 tcp dport 5001 tcp flags rst' ||
  fail "no guard rule while converse runs: $(in_c nft list ruleset)"
# A parallel connection from the same host to the same server, with the kernel's own TCP.
in_c timeout 10 python3 "$PEERS" echo-client $S4 5003 0.05 1 >"$WORK/parallel.out" 2>&1
[ $? = 1 ] && grep -q SURVIVED "$WORK/parallel.out" ||
  fail "the parallel connection was disturbed: $(cat "$WORK/parallel.out")"
# The client's kernel still refuses a connection to a closed port (its RST passes).
in_s python3 -c "
import socket, sys
try:
    socket.create_connection(('$C4', 5999), timeout=5)
except ConnectionRefusedError:
    sys.exit(0)
sys.exit('not refused')
" || fail "C's kernel RST for a closed port did not arrive while the guard was up"
wait "$CONV" || fail "parallel converse exited $?: $(cat "$WORK/converse-parallel.txt")"
expect_line "$WORK/converse-parallel.txt" '^outcome: closed cleanly' "parallel run's close"
no_guard_left "parallel run"
echo "ok: while the guard was up, a parallel connection kept talking and a closed port was still refused"

# --- Ctrl-C ---------------------------------------------------------------------------
# Not through in_c: $! must be the process the signal goes to (ip netns exec and timeout
# exec and forward; a backgrounded shell function would swallow it).
ip netns exec "$NS_C" timeout 30 "$BIN" converse "$S4:5001" --sport 41004 'wait:20s' \
  >"$WORK/converse-int.txt" 2>&1 &
CONV=$!
wait_for "$WORK/converse-int.txt" "^wait"
kill -INT "$CONV"
wait "$CONV"
RC=$?
[ $RC = 130 ] || fail "converse after SIGINT exited $RC: $(cat "$WORK/converse-int.txt")"
expect_line "$WORK/converse-int.txt" '^guard +removed$' "SIGINT: guard removed"
no_guard_left "after SIGINT"
echo "ok: Ctrl-C: exit 130, guard removed"

# --- SIGKILL, then a new run ------------------------------------------------------------
in_c "$BIN" converse "$S4:5001" --sport 41005 'wait:20s' >"$WORK/converse-kill.txt" 2>&1 &
wait_for "$WORK/converse-kill.txt" "^wait"
KILLED=$(in_c nft list ruleset | sed -n 's/.*chain guard_\([0-9]*\) {.*/\1/p' | head -1)
[ -n "$KILLED" ] || fail "no guard chain to kill: $(in_c nft list ruleset)"
kill -9 "$KILLED" 2>/dev/null || fail "cannot kill $KILLED"
for _ in $(seq 50); do kill -0 "$KILLED" 2>/dev/null || break; sleep 0.1; done
in_c nft list ruleset | grep -q "chain guard_$KILLED" || fail "the killed run's chain is not there"
in_c timeout 30 "$BIN" converse "$S4:5001" --sport 41006 >"$WORK/converse-after.txt" 2>&1 ||
  fail "converse after SIGKILL: $(cat "$WORK/converse-after.txt")"
expect_line "$WORK/converse-after.txt" '^outcome: closed cleanly' "the run after SIGKILL"
no_guard_left "after SIGKILL and a new run"
echo "ok: SIGKILL left chain guard_$KILLED; the next run removed it and left nothing"

# --- no CAP_NET_ADMIN ---------------------------------------------------------------------
in_c setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
  "$BIN" converse "$S4:5001" --sport 41007 >"$WORK/converse-nocap.txt" 2>&1
RC=$?
[ $RC = 1 ] || fail "without CAP_NET_ADMIN: exit $RC: $(cat "$WORK/converse-nocap.txt")"
[ "$(wc -l <"$WORK/converse-nocap.txt")" = 1 ] ||
  fail "without CAP_NET_ADMIN: more than one line: $(cat "$WORK/converse-nocap.txt")"
expect_line "$WORK/converse-nocap.txt" "^tcpinspect: cannot add the nftables rule that keeps this kernel's RST off the conversation \(.*\): it needs CAP_NET_ADMIN and nf_tables$" "no CAP_NET_ADMIN"
grep -q "^41007 " "$WORK/record4" && fail "without the guard something was still sent"
no_guard_left "without CAP_NET_ADMIN"
echo "ok: without CAP_NET_ADMIN: $(cat "$WORK/converse-nocap.txt")"
echo "PASS"
