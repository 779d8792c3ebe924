#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Integration test of `tcpinspect udp-send` / `udp-recv` between two network namespaces
# joined by a veth pair: random loss (nftables, inside the receiver's namespace) at 0%, 5%
# and 30%, and 30% in both directions; reordering and duplication through tests/integration/udp_chaos_proxy.py; path
# traversal refusal; a receiver killed mid-transfer; a full disk (1 MB tmpfs); a hostile
# peer (HELLO flood, transfers held open) next to ordinary transfers.
#
# usage: udp_transfer_netns.sh PATH/TO/tcpinspect
# Needs root. Exits 77 (skip) only when not root; anything else that goes wrong is a FAIL.
set -uo pipefail

BIN=${1:?usage: $0 PATH/TO/tcpinspect}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: needs root (network namespaces, nftables, tmpfs)"
  exit 77
fi

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
for tool in ip nft sha256sum python3 timeout mount head; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool"
done
[ -x "$BIN" ] || fail "not executable: $BIN"

ID=$$
NS_S=ti-udpx-$ID-s
NS_R=ti-udpx-$ID-r
VS=tiux${ID}s
VR=tiux${ID}r
IP_S=10.200.77.1
IP_R=10.200.77.2
WORK=$(mktemp -d /tmp/ti-udpx-XXXXXX)
PIDS=()
MOUNTED=""
START=$SECONDS

cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  [ -n "$MOUNTED" ] && umount "$MOUNTED" 2>/dev/null
  ip netns del "$NS_S" 2>/dev/null
  ip netns del "$NS_R" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS_S" || fail "ip netns add"
ip netns add "$NS_R" || fail "ip netns add"
ip link add "$VS" netns "$NS_S" type veth peer name "$VR" netns "$NS_R" || fail "veth"
ip -n "$NS_S" addr add $IP_S/24 dev "$VS"
ip -n "$NS_R" addr add $IP_R/24 dev "$VR"
for ns in "$NS_S" "$NS_R"; do
  ip -n "$ns" link set lo up
done
ip -n "$NS_S" link set "$VS" up
ip -n "$NS_R" link set "$VR" up

# Files, generated now and never committed.
mkdir -p "$WORK/src"
: >"$WORK/src/empty"
printf 'x' >"$WORK/src/one"
head -c $((1400 * 1000)) /dev/urandom >"$WORK/src/exact"  # exactly 1000 chunks of 1400
head -c $((100 * 1024 * 1024)) /dev/urandom >"$WORK/src/big"
head -c $((20 * 1024 * 1024)) /dev/urandom >"$WORK/src/medium"
head -c $((2 * 1024 * 1024)) /dev/urandom >"$WORK/src/two_mb"

# wait_bounded PID SECONDS: the exit status of PID, or FAIL if it runs longer.
wait_bounded() {
  local pid=$1 limit=$2 waited=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    waited=$((waited + 1))
    [ $waited -le $((limit * 10)) ] || fail "process $pid still running after ${limit}s"
  done
  wait "$pid"
}

# start_recv LABEL DIR ARGS...: starts udp-recv in the receiver namespace (idle timeout
# $IDLE, default 5 s); sets RPID, RPORT.
start_recv() {
  local label=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  ip netns exec "$NS_R" "$BIN" udp-recv --bind $IP_R --port 0 --dir "$dir" --idle-timeout "${IDLE:-5}" "$@" \
    >"$WORK/$label.recv.out" 2>"$WORK/$label.recv.err" &
  RPID=$!
  PIDS+=("$RPID")
  local i
  for i in $(seq 50); do
    grep -q '^listening on ' "$WORK/$label.recv.out" 2>/dev/null && break
    sleep 0.1
  done
  RPORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$WORK/$label.recv.out")
  [ -n "$RPORT" ] || fail "$label: receiver did not report its port: $(cat "$WORK/$label.recv.err")"
}

set_loss() {  # set_loss PORT none|5|30|30both
  ip netns exec "$NS_R" nft delete table inet ti 2>/dev/null
  ip netns exec "$NS_S" nft delete table inet ti 2>/dev/null
  [ "$2" = none ] && return 0
  if [ "$2" = 30both ]; then
    # Acknowledgements too: the same rule on the sender's input, for datagrams from the port.
    ip netns exec "$NS_S" nft add table inet ti || fail "nft table"
    ip netns exec "$NS_S" nft add chain inet ti in '{ type filter hook input priority 0; }' || fail "nft chain"
    ip netns exec "$NS_S" nft add rule inet ti in udp sport "$1" numgen random mod 10 '<' 3 counter drop ||
      fail "nft rule"
  fi
  ip netns exec "$NS_R" nft add table inet ti || fail "nft table"
  ip netns exec "$NS_R" nft add chain inet ti in '{ type filter hook input priority 0; }' || fail "nft chain"
  case $2 in
    5) ip netns exec "$NS_R" nft add rule inet ti in udp dport "$1" numgen random mod 20 0 counter drop ;;
    30 | 30both) ip netns exec "$NS_R" nft add rule inet ti in udp dport "$1" numgen random mod 10 '<' 3 counter drop ;;
  esac
  [ $? = 0 ] || fail "nft rule"
}

dropped() {  # packets the loss rule dropped so far (in NS, default the receiver's)
  ip netns exec "${1:-$NS_R}" nft list table inet ti | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}

# send LABEL FILE TARGET ARGS...: runs udp-send in the sender namespace (bounded).
send() {
  local label=$1 file=$2 target=$3
  shift 3
  ip netns exec "$NS_S" timeout 100 "$BIN" udp-send "$WORK/src/$file" "$target" "$@" \
    >"$WORK/$label.send.out" 2>"$WORK/$label.send.err"
}

same_file() {  # same_file SRC DST
  [ -f "$2" ] || fail "$2 missing"
  local a b
  a=$(sha256sum <"$1" | cut -d' ' -f1)
  b=$(sha256sum <"$2" | cut -d' ' -f1)
  [ "$a" = "$b" ] || fail "$2: sha256 $b differs from $1 ($a)"
}

check_set() {  # check_set LABEL DIR: the four files arrived intact, nothing else is there
  local label=$1 dir=$2 f
  for f in empty one exact big; do same_file "$WORK/src/$f" "$dir/$f"; done
  [ "$(ls -A "$dir" | sort | tr '\n' ' ')" = "big empty exact one " ] ||
    fail "$label: unexpected files in $dir: $(ls -A "$dir")"
}

# 1. Random loss at 0%, 5%, 30%: 0 B, 1 B, exact multiple of the chunk size, 100 MB.
for loss in none 5 30; do
  label=loss_$loss
  start_recv $label "$WORK/$label" --count 4
  set_loss "$RPORT" $loss
  if [ $loss = none ]; then
    # Three foreign datagrams: ignored and counted, never fatal.
    ip netns exec "$NS_S" bash -c "for i in 1 2 3; do echo junk >/dev/udp/$IP_R/$RPORT; done"
  fi
  for f in empty one big; do
    send $label.$f $f $IP_R:"$RPORT" || fail "$label: sending $f: $(cat "$WORK/$label.$f.send.err")"
  done
  send $label.exact exact $IP_R:"$RPORT" --chunk 1400 ||
    fail "$label: sending exact: $(cat "$WORK/$label.exact.send.err")"
  grep -q 'chunk 1400,' "$WORK/$label.exact.send.out" || fail "$label: chunk size not 1400"
  wait_bounded "$RPID" 20 || fail "$label: receiver exit status $?: $(cat "$WORK/$label.recv.err")"
  check_set $label "$WORK/$label"
  retx=$(sed -n 's/.* \([0-9]*\) retransmissions.*/\1/p' "$WORK/$label.big.send.out")
  if [ $loss = none ]; then
    grep -q '^4 transfers completed, 0 failed, 3 datagrams ignored$' "$WORK/$label.recv.out" ||
      fail "$label: receiver summary: $(tail -1 "$WORK/$label.recv.out")"
  else
    [ "$(dropped)" -gt 0 ] || fail "$label: nftables dropped nothing"
    [ "$retx" -gt 0 ] || fail "$label: no retransmissions under $loss% loss"
  fi
  echo "ok: $label: $(grep -o 'in [0-9.]* s, goodput [0-9.]* Mbit/s' "$WORK/$label.big.send.out"), $retx retransmissions, dropped $(dropped 2>/dev/null || echo 0) ($((SECONDS - START))s)"
  set_loss "$RPORT" none
done

# 1b. 30% loss in both directions (issue 12: DATA dropped on the receiver's input, ACKs on
# the sender's). Before the RTT estimator ignored chunks held behind a retransmitted hole,
# the RTO jumped to ~9 s and most such transfers died on the receiver's idle timeout.
label=loss_both
IDLE=10 start_recv $label "$WORK/$label" --count 2
set_loss "$RPORT" 30both
send $label.medium medium $IP_R:"$RPORT" || fail "$label: sending medium: $(cat "$WORK/$label.medium.send.err")"
send $label.exact exact $IP_R:"$RPORT" --chunk 1400 ||
  fail "$label: sending exact: $(cat "$WORK/$label.exact.send.err")"
wait_bounded "$RPID" 20 || fail "$label: receiver exit status $?: $(cat "$WORK/$label.recv.err")"
for f in medium exact; do same_file "$WORK/src/$f" "$WORK/$label/$f"; done
[ "$(dropped)" -gt 0 ] && [ "$(dropped "$NS_S")" -gt 0 ] || fail "$label: a direction dropped nothing"
echo "ok: $label: $(grep -o 'in [0-9.]* s, goodput [0-9.]* Mbit/s' "$WORK/$label.medium.send.out"), dropped $(dropped) DATA-side and $(dropped "$NS_S") ACK-side ($((SECONDS - START))s)"
set_loss "$RPORT" none

# 2. Reordering and duplication (both directions) through the proxy.
label=chaos
start_recv $label "$WORK/$label" --count 4
ip netns exec "$NS_R" python3 "$HERE/udp_chaos_proxy.py" --listen $IP_R:0 --target $IP_R:"$RPORT" \
  --reorder 0.1 --dup 0.1 --seed "$ID" --lifetime 90 >"$WORK/proxy.out" 2>"$WORK/proxy.err" &
PPID_PROXY=$!
PIDS+=("$PPID_PROXY")
for i in $(seq 50); do grep -q '^proxy on' "$WORK/proxy.out" && break; sleep 0.1; done
PPORT=$(sed -n 's/^proxy on .*:\([0-9]*\)$/\1/p' "$WORK/proxy.out")
[ -n "$PPORT" ] || fail "proxy did not start: $(cat "$WORK/proxy.err")"
for f in empty one medium; do
  send $label.$f $f $IP_R:"$PPORT" || fail "$label: sending $f: $(cat "$WORK/$label.$f.send.err")"
done
send $label.exact exact $IP_R:"$PPORT" --chunk 1400 || fail "$label: sending exact"
wait_bounded "$RPID" 20 || fail "$label: receiver exit status $?: $(cat "$WORK/$label.recv.err")"
kill -TERM "$PPID_PROXY"
wait_bounded "$PPID_PROXY" 5
for f in empty one exact medium; do same_file "$WORK/src/$f" "$WORK/$label/$f"; done
stats=$(grep 'proxy stats' "$WORK/proxy.err")
reordered=$(sed -n 's/.*reordered=\([0-9]*\).*/\1/p' <<<"$stats")
duplicated=$(sed -n 's/.*duplicated=\([0-9]*\).*/\1/p' <<<"$stats")
[ "${reordered:-0}" -gt 100 ] && [ "${duplicated:-0}" -gt 100 ] || fail "proxy did too little: $stats"
echo "ok: reordering/duplication: $stats ($((SECONDS - START))s)"

# 3. Path traversal and other hostile names are refused; nothing is written anywhere.
label=names
start_recv $label "$WORK/$label/dir" --count 3
for bad in ../evil /tmp/evil .hidden; do
  if send $label.one one $IP_R:"$RPORT" --name "$bad"; then fail "$label: '$bad' was accepted"; fi
  grep -q 'refused: bad file name' "$WORK/$label.one.send.err" ||
    fail "$label: sender error for '$bad': $(cat "$WORK/$label.one.send.err")"
done
if wait_bounded "$RPID" 10; then fail "$label: receiver exited 0 after refusals"; fi
[ "$(grep -c 'failed: bad file name' "$WORK/$label.recv.err")" = 3 ] ||
  fail "$label: receiver report: $(cat "$WORK/$label.recv.err")"
[ -z "$(ls -A "$WORK/$label/dir")" ] && [ ! -e "$WORK/$label/evil" ] && [ ! -e /tmp/evil ] ||
  fail "$label: a refused name created a file"
echo "ok: hostile names refused"

# 4. Receiver killed (SIGKILL) mid-transfer: no file under the final name; the sender
# fails with a clear error within a bounded time.
label=killed
start_recv $label "$WORK/$label" --count 1
send $label big $IP_R:"$RPORT" --window 1 --timeout 3 &
SPID=$!
PIDS+=("$SPID")
for i in $(seq 100); do
  ls -A "$WORK/$label" | grep -q '^\.big\.partial\.' && break
  sleep 0.1
done
ls -A "$WORK/$label" | grep -q '^\.big\.partial\.' || fail "$label: transfer did not start"
sleep 0.3
kill -9 "$RPID"
if wait_bounded "$SPID" 15; then fail "$label: sender reported success"; fi
grep -Eq 'went away|stopped responding' "$WORK/$label.send.err" ||
  fail "$label: sender error: $(cat "$WORK/$label.send.err")"
[ ! -e "$WORK/$label/big" ] || fail "$label: final name exists after the receiver was killed"
echo "ok: killed receiver: $(cat "$WORK/$label.send.err")"

# 5. Disk full: 1 MB tmpfs, 2 MB file: clear error on both sides, nothing left behind.
label=full
mkdir -p "$WORK/full"
mount -t tmpfs -o size=1m tmpfs "$WORK/full" || fail "mount tmpfs"
MOUNTED="$WORK/full"
start_recv $label "$WORK/full" --count 1
if send $label two_mb $IP_R:"$RPORT"; then fail "$label: sender reported success"; fi
grep -q 'no space left on device' "$WORK/$label.send.err" ||
  fail "$label: sender error: $(cat "$WORK/$label.send.err")"
if wait_bounded "$RPID" 10; then fail "$label: receiver exited 0"; fi
grep -q 'no space left on device' "$WORK/$label.recv.err" ||
  fail "$label: receiver error: $(cat "$WORK/$label.recv.err")"
[ -z "$(ls -A "$WORK/full")" ] || fail "$label: left $(ls -A "$WORK/full")"
echo "ok: disk full: $(cat "$WORK/$label.send.err")"

# 6. Hostile peer (issue 12): 2,000 HELLOs declaring 1 GiB each and never followed by data,
# 20 blind openings declaring 1 GiB each (HELLO, DATA and FIN under the sender's own id,
# answers never read: a spoofed source, which never sees the cookie; before wire version 2
# each of these reserved its declared size), plus 6 transfers opened and held without ever
# finishing, against --max-transfers 8. Two
# ordinary transfers alongside must complete; the receiver's threads, fds, memory and disk
# use must stay bounded; HELLOs alone must create nothing.
label=hostile
IDLE=3 start_recv $label "$WORK/$label" --max-transfers 8
ip netns exec "$NS_S" timeout 60 python3 "$HERE/udp_hostile_peer.py" --target $IP_R:"$RPORT" \
  --hellos 2000 --spoofers 20 --holders 6 --size $((1 << 30)) --duration 8 >"$WORK/hostile.out" 2>&1 &
HPID=$!
PIDS+=("$HPID")
sleep 2  # the flood is sent and the holders hold their slots
send $label.two_mb two_mb $IP_R:"$RPORT" &
S1=$!
send $label.exact exact $IP_R:"$RPORT" --chunk 1400 &
S2=$!
PIDS+=("$S1" "$S2")
max_threads=0 max_fds=0 max_rss_kb=0 max_disk=0
for i in $(seq 40); do  # sample for 4 s
  t=$(sed -n 's/^Threads:\s*//p' /proc/"$RPID"/status)
  f=$(ls /proc/"$RPID"/fd | wc -l)
  r=$(sed -n 's/^VmRSS:\s*\([0-9]*\) kB/\1/p' /proc/"$RPID"/status)
  d=$(du -sb "$WORK/$label" | cut -f1)
  [ "$t" -gt $max_threads ] && max_threads=$t
  [ "$f" -gt $max_fds ] && max_fds=$f
  [ "$r" -gt $max_rss_kb ] && max_rss_kb=$r
  [ "$d" -gt $max_disk ] && max_disk=$d
  sleep 0.1
done
wait_bounded "$S1" 60 || fail "$label: sending two_mb: $(cat "$WORK/$label.two_mb.send.err")"
wait_bounded "$S2" 60 || fail "$label: sending exact: $(cat "$WORK/$label.exact.send.err")"
same_file "$WORK/src/two_mb" "$WORK/$label/two_mb"
same_file "$WORK/src/exact" "$WORK/$label/exact"
wait_bounded "$HPID" 30 || fail "$label: hostile peer: $(cat "$WORK/hostile.out")"
grep -q 'spoofers=20 holders=6 ' "$WORK/hostile.out" || fail "$label: hostile peer: $(cat "$WORK/hostile.out")"
# Main thread + at most 8 hashing threads; stdio, the socket and at most 8 transfers of two
# fds each (the file and the hasher's own descriptor of it), + slack for /proc reads.
[ $max_threads -le 9 ] || fail "$label: $max_threads threads"
# Under the sanitizers a sample has seen 25 (slower threads keep a transient descriptor, e.g.
# the /proc read or a library's, open for longer), and so has the real build once, in a full
# ctest -j2 run with another namespace test beside it (2026-12-07, not reproduced alone in
# two runs, and passing in three other full runs): one transient descriptor allowed over 24, two under the sanitizers. Still
# bounded: 4 + 8 transfers x 2 = 20 steady.
fd_limit=25
[ -n "${TCPINSPECT_SANITIZED:-}" ] && fd_limit=26
[ $max_fds -le $fd_limit ] || fail "$label: $max_fds open fds"
[ $max_rss_kb -le 262144 ] || fail "$label: RSS $max_rss_kb kB"
# Held transfers reserve their declared 4000 bytes each; the real files are 2 MiB + 1.4 MB.
[ $max_disk -le $((6 * 4000 + 2097152 + 1400000 + 65536)) ] || fail "$label: $max_disk bytes on disk"
ls -A "$WORK/$label" | grep -q flood && fail "$label: a HELLO without data created a file"
ls -A "$WORK/$label" | grep -q spoof && fail "$label: DATA without the cookie created a file"
sleep 4  # the holders stop at 8 s; their transfers are dropped after the 3 s idle timeout
[ "$(ls -A "$WORK/$label" | sort | tr '\n' ' ')" = "exact two_mb " ] ||
  fail "$label: left behind: $(ls -A "$WORK/$label")"
kill -TERM "$RPID"
wait_bounded "$RPID" 10
grep -q '^2 transfers completed, 6 failed, ' "$WORK/$label.recv.out" ||
  fail "$label: receiver summary: $(tail -1 "$WORK/$label.recv.out")"
echo "ok: $label: 2000 HELLOs + 20 blind openings + 6 held transfers; peak $max_threads threads, $max_fds fds, RSS $((max_rss_kb / 1024)) MiB, $max_disk bytes on disk ($((SECONDS - START))s)"

echo "PASS: udp transfer netns integration ($((SECONDS - START))s)"
