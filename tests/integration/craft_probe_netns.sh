#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Integration test of `tcpinspect craft`, `probe` and `reset` between two network
# namespaces joined by a veth pair (10.202.0.1/24 + fd00:202::1/64 in A, .2 / ::2 in B):
#  - probe (SYN, Xmas, ACK) reports open (a listener in B), closed (no listener) and
#    filtered (an nftables drop rule inside B), over IPv4 and IPv6;
#  - craft -w writes exactly the fields asked for (checked with tshark), --append adds, refuses
#    a pcapng file;
#  - craft --send --reply to a closed port prints the RST/ACK and RFC 9293's prediction;
#  - reset kills a live connection (the server's recv() fails with ECONNRESET) with the
#    exact RCV.NXT tshark saw, and with --offset 1000 draws a challenge ACK while the
#    connection survives;
#  - reset run in the victim's namespace (its RST then travels over lo) against tcpinspect's
#    echo server and an interactive echo client: the victim's own RST answering the
#    client's next segment is reported as success, and both applications get ECONNRESET.
#
# usage: craft_probe_netns.sh PATH/TO/tcpinspect
# Needs root. Exits 77 (skip) only when not root; anything else that goes wrong is a FAIL.
set -uo pipefail

BIN=${1:?usage: $0 PATH/TO/tcpinspect}
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: needs root (network namespaces, raw sockets, nftables)"
  exit 77
fi

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
for tool in ip nft python3 tshark tcpdump timeout; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool"
done
[ -x "$BIN" ] || fail "not executable: $BIN"

ID=$$
NS_A=ti-craft-$ID-a
NS_B=ti-craft-$ID-b
VA=ticr${ID}a
VB=ticr${ID}b
A4=10.202.0.1
B4=10.202.0.2
A6=fd00:202::1
B6=fd00:202::2
WORK=$(mktemp -d /tmp/ti-craft-XXXXXX)
PIDS=()
PASSED=0

# Everything still running inside our two namespaces: a program started in the background
# through in_a/in_b runs as a child of the subshell whose PID $! holds, so killing that PID
# alone left it behind (an echo-server per run, found after CI runs).
ns_pids() { ip netns pids "$NS_A" 2>/dev/null; ip netns pids "$NS_B" 2>/dev/null; }
cleanup() {
  for p in "${PIDS[@]}" $(ns_pids); do kill "$p" 2>/dev/null; done
  sleep 0.2
  for p in "${PIDS[@]}" $(ns_pids); do kill -9 "$p" 2>/dev/null; done
  ip netns del "$NS_A" 2>/dev/null
  ip netns del "$NS_B" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

ok() {
  PASSED=$((PASSED + 1))
  echo "ok: $*"
}
in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }
# Waits up to 10 s for a line matching $2 in file $1.
wait_for() {
  for _ in $(seq 100); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "timed out waiting for '$2' in $1: $(cat "$1" 2>/dev/null)"
}
expect_line() {  # file, extended regex, what
  grep -Eq -- "$2" "$1" || fail "$3: no line matching /$2/ in:
$(cat "$1")"
}

ip netns add "$NS_A" || fail "ip netns add"
ip netns add "$NS_B" || fail "ip netns add"
ip link add "$VA" netns "$NS_A" type veth peer name "$VB" netns "$NS_B" || fail "veth"
ip -n "$NS_A" addr add $A4/24 dev "$VA"
ip -n "$NS_B" addr add $B4/24 dev "$VB"
ip -n "$NS_A" addr add $A6/64 dev "$VA" nodad
ip -n "$NS_B" addr add $B6/64 dev "$VB" nodad
for ns in "$NS_A" "$NS_B"; do
  ip -n "$ns" link set lo up
  # No duplicate address detection on these private test links: addresses usable at once.
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
ip -n "$NS_A" link set "$VA" up
ip -n "$NS_B" link set "$VB" up
# Wait until both address families really carry packets (IPv6 link-local DAD and neighbour
# discovery take a moment after the link comes up); bounded to ~10 s.
for _ in $(seq 20); do
  ip netns exec "$NS_A" ping -c1 -W1 "$B4" >/dev/null 2>&1 &&
    ip netns exec "$NS_A" ping -6 -c1 -W1 "$B6" >/dev/null 2>&1 && break
  sleep 0.5
done

# --- B: a listener on 8080 (v4 + v6), nothing on 7, port 9 dropped by nftables -------------
cat >"$WORK/listen.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 8080))
s.listen(16)
print("listening", flush=True)
time.sleep(120)  # bounded: the test stops it by PID long before
EOF
in_b python3 "$WORK/listen.py" >"$WORK/listen.log" 2>&1 &
PIDS+=($!)
LISTEN_PID=$!
wait_for "$WORK/listen.log" listening
in_b nft add table inet ti || fail "nft add table"
in_b nft add chain inet ti in '{ type filter hook input priority 0; }' || fail "nft add chain"
in_b nft add rule inet ti in tcp dport 9 drop || fail "nft add rule"
in_b nft add rule inet ti in tcp dport 10 reject with icmpx type admin-prohibited || fail "nft reject rule"

# --- probe -------------------------------------------------------------------------------
for target in $B4 $B6; do
  out="$WORK/probe_syn_$target.txt"
  in_a timeout 30 "$BIN" probe "$target" 7,8080,9,10 --timeout 700ms >"$out" 2>&1 ||
    fail "probe $target exited $?: $(cat "$out")"
  expect_line "$out" '^8080 +open +SYN-ACK +[0-9.]+ ms' "probe $target 8080"
  expect_line "$out" '^7 +closed +RST +[0-9.]+ ms' "probe $target 7"
  expect_line "$out" '^9 +filtered +no answer +- ' "probe $target 9"
  expect_line "$out" '^10 +filtered +ICMP unreachable +[0-9.]+ ms' "probe $target 10 (ICMP)"
  expect_line "$out" '^summary: 1 open, 1 closed, 2 filtered$' "probe $target summary"
  expect_line "$out" "kernel answered 1 of 1 SYN-ACK with its own RST" "probe $target kernel RST"
  sed 's/^/    /' "$out"
  ok "probe syn $target: open / closed / filtered (silent drop and ICMP unreachable)"
done
out="$WORK/probe_xmas.txt"
in_a timeout 30 "$BIN" probe $B4 7,8080,9 --type xmas --timeout 500ms >"$out" 2>&1 || fail "probe xmas: $(cat "$out")"
expect_line "$out" '^8080 +open\|filtered +no answer' "xmas 8080"
expect_line "$out" '^7 +closed +RST' "xmas 7"
expect_line "$out" '^9 +open\|filtered +no answer' "xmas 9"
ok "probe xmas: open|filtered / closed"
out="$WORK/probe_ack.txt"
in_a timeout 30 "$BIN" probe $B6 7,8080,9 --type ack --timeout 500ms >"$out" 2>&1 || fail "probe ack: $(cat "$out")"
expect_line "$out" '^8080 +unfiltered +RST' "ack 8080"
expect_line "$out" '^7 +unfiltered +RST' "ack 7"
expect_line "$out" '^9 +filtered +no answer' "ack 9"
ok "probe ack (IPv6): unfiltered / filtered"
out="$WORK/probe_rate.txt"
in_a timeout 30 "$BIN" probe $B4 1-20 --rate 20 --timeout 200ms -w "$WORK/probes.pcap" >"$out" 2>&1 ||
  fail "probe rate: $(cat "$out")"
# 20 probes at 20/s: the 20th leaves 0.95 s after the first (9 dropped, 10 rejected).
grep -q '^summary: 18 closed, 2 filtered$' "$out" || fail "probe 1-20: $(cat "$out")"
secs=$(sed -n 's/^sent 20 probes in \([0-9.]*\) s$/\1/p' "$out")
[ -n "$secs" ] || fail "probe 1-20: no 'sent 20 probes in' line: $(cat "$out")"
python3 -c "import sys; t=float(sys.argv[1]); sys.exit(0 if 0.9 <= t < 2.0 else 1)" "$secs" ||
  fail "20 probes at --rate 20 took $secs s, not ~0.95 s"
syns=$(tshark -r "$WORK/probes.pcap" -Y "tcp.flags==0x002 && ip.dst==$B4" -T fields -e tcp.dstport 2>/dev/null | tr '\n' ' ')
[ "$syns" = "$(seq -s ' ' 1 20) " ] || fail "probe -w: the file holds SYNs to '$syns'"
ok "probe 1-20 at --rate 20: sent in $secs s, all 20 SYNs in the -w file"

# Many ports: the repeated closed answers fold into one line (as nmap's "997 closed ports"),
# and Ctrl-C prints what was found so far. 1-2000 at 200/s would take 10 s; SIGINT after ~1 s.
out="$WORK/probe_int.txt"
# Not through in_a: a backgrounded function is a subshell, and the signal must reach probe
# itself (ip netns exec execs it, keeping the PID).
ip netns exec "$NS_A" "$BIN" probe $B4 1-2000 --rate 200 --timeout 300ms >"$out" 2>&1 &
PROBE_PID=$!
PIDS+=($PROBE_PID)
sleep 1.2
kill -INT "$PROBE_PID"
wait "$PROBE_PID"
rc=$?
[ "$rc" = 130 ] || fail "interrupted probe exited $rc, not 130: $(cat "$out")"
sent=$(sed -n 's/^interrupted: \([0-9]*\) of 2000 probes sent; the answers so far:$/\1/p' "$out")
[ -n "$sent" ] && [ "$sent" -ge 100 ] && [ "$sent" -le 600 ] || fail "interrupted probe: $(cat "$out")"
# Ports 9 (dropped) and 10 (rejected) are filtered; every other port up to $sent is closed.
expect_line "$out" "^not shown: $((sent - 2)) closed ports \(RST/ACK: no listener" "folded closed ports"
expect_line "$out" "^summary: $((sent - 2)) closed, 2 filtered$" "interrupted summary"
expect_line "$out" '^9 +filtered +no answer' "port 9 still listed"
grep -Eq '^7 +closed' "$out" && fail "closed ports listed despite folding: $(cat "$out")"
# The progress line: on a terminal only (script gives the probe a pty), and not with -q.
in_a script -q -c "$BIN probe $B4 1-300 --rate 1000 --timeout 200ms" /dev/null >"$WORK/probe_tty.txt" 2>&1
grep -aEq $'\rprobe: [0-9]+/300 sent, 0 open' "$WORK/probe_tty.txt" || fail "no progress line on a tty"
in_a script -q -c "$BIN probe $B4 1-300 --rate 1000 --timeout 200ms -q" /dev/null >"$WORK/probe_q.txt" 2>&1
grep -aq 'probe: [0-9]*/300 sent' "$WORK/probe_q.txt" && fail "progress line despite -q"
grep -q 'probe: [0-9]*/20 sent' "$WORK/probe_rate.txt" && fail "progress line in a file"
ok "probe 1-2000 interrupted after $sent probes: exit 130, $((sent - 2)) closed ports folded; progress only on a tty"

# --- craft -w, checked by tshark ----------------------------------------------------------
PCAP="$WORK/crafted.pcap"
"$BIN" craft --src $A4 --dst $B4 --sport 40001 --dport 8080 --flags SA --seq 4294967000 --ack 123456 \
  --window 29200 --ttl 33 --id 0x4321 --df --mss 1400 --wscale 9 --sack-ok --ts 111:222 -w "$PCAP" \
  >"$WORK/craft1.txt" 2>&1 || fail "craft -w: $(cat "$WORK/craft1.txt")"
"$BIN" craft --src $A6 --dst $B6 --sport 40002 --dport 80 --flags FPU --seq 5 --window 1 --urg-ptr 3 \
  --data hello -w "$PCAP" --append >"$WORK/craft2.txt" 2>&1 || fail "craft -w append: $(cat "$WORK/craft2.txt")"
ID3=0007
"$BIN" craft --src $A4 --dst $B4 --sport 40003 --dport 81 --flags none --seq 9 --sack 100-200,300-400 \
  --id 7 --bad-checksum -w "$PCAP" --append >"$WORK/craft3.txt" 2>&1 || fail "craft -w append: $(cat "$WORK/craft3.txt")"
FIELDS=(-e tcp.srcport -e tcp.dstport -e tcp.flags -e tcp.seq_raw -e tcp.ack_raw -e tcp.window_size_value
  -e tcp.urgent_pointer -e tcp.options.mss_val -e tcp.options.wscale.shift -e tcp.option_kind
  -e tcp.options.timestamp.tsval -e tcp.options.timestamp.tsecr -e tcp.options.sack_le -e tcp.options.sack_re
  -e tcp.len -e tcp.checksum.status -e ip.ttl -e ip.id -e ip.flags.df)
tshark -r "$PCAP" -o tcp.check_checksum:TRUE -o tcp.relative_sequence_numbers:FALSE -T fields -E separator='|' \
  "${FIELDS[@]}" >"$WORK/tshark.txt" 2>"$WORK/tshark.err" || fail "tshark: $(cat "$WORK/tshark.err")"
[ "$(wc -l <"$WORK/tshark.txt")" = 3 ] || fail "expected 3 frames in $PCAP: $(cat "$WORK/tshark.txt")"
line1=$(sed -n 1p "$WORK/tshark.txt")
line2=$(sed -n 2p "$WORK/tshark.txt")
line3=$(sed -n 3p "$WORK/tshark.txt")
[ "$line1" = "40001|8080|0x0012|4294967000|123456|29200|0|1400|9|2,4,8,1,3|111|222|||0|1|33|0x4321|1" ] ||
  fail "frame 1 fields: $line1"
[ "$line2" = "40002|80|0x0029|5|0|1|3||||||||5|1|||" ] || fail "frame 2 fields: $line2"
# SACK blocks of frame 3 in raw numbers (NOP NOP SACK); checksum status 0 = bad, 1 = good.
[ "$line3" = "40003|81|0x0000|9|0|64240|0|||1,1,5|||100,300|200,400|0|0|64|0x${ID3}|0" ] ||
  fail "frame 3 fields: $line3"
printf '\x0a\x0d\x0d\x0a' >"$WORK/ng.pcapng"
if "$BIN" craft --src $A4 --dst $B4 --dport 80 -w "$WORK/ng.pcapng" --append >"$WORK/ng.txt" 2>&1; then
  fail "craft -w appended to a pcapng file"
fi
grep -q "is a pcapng file" "$WORK/ng.txt" || fail "pcapng refusal: $(cat "$WORK/ng.txt")"
ok "craft -w: tshark reads the fields asked for (3 frames appended, IPv4 + IPv6)"

# --- craft --send --reply ------------------------------------------------------------------
out="$WORK/reply_closed.txt"
in_a timeout 20 "$BIN" craft --dst $B4 --dport 7 --seq 1000 --send --reply 1s >"$out" 2>&1 ||
  fail "craft --reply: $(cat "$out")"
expect_line "$out" '^sent +10\.202\.0\.1:[0-9]+ > 10\.202\.0\.2:7 \[SYN\] seq=1000 ' "sent line"
expect_line "$out" '^reply +10\.202\.0\.2:7 > 10\.202\.0\.1:[0-9]+ \[RST,ACK\] seq=0 ack=1001 .* rtt [0-9.]+ ms' "reply line"
expect_line "$out" 'flags RST,ACK, seq 0, ack = your seq\+1$' "relative reply"
expect_line "$out" 'closed port: +RST/ACK expected, seq=0 ack=your seq\+1 \(RFC 9293 3\.10\.7\.1.*<- what happened' "prediction"
expect_line "$out" '^annotated \(as tcpinspect replay shows this exchange\):$' "analyzer view"
expect_line "$out" 'ECONNREFUSED' "analyzer view of a refused SYN"
ok "craft --send --reply to a closed port: RST/ACK with RFC 9293 3.10.7.1"
out="$WORK/reply_open.txt"
in_a timeout 20 "$BIN" craft --dst $B6 --dport 8080 --seq 4294967295 --mss 1200 --send --reply 1s >"$out" 2>&1 ||
  fail "craft --reply v6: $(cat "$out")"
expect_line "$out" '^reply .*\[SYN,ACK\] seq=[0-9]+ ack=0 ' "SYN-ACK across the wrap"
expect_line "$out" 'listening port: SYN-ACK expected, ack=your seq\+1 .*<- what happened' "listen prediction"
expect_line "$out" '^kernel +\[fd00:202::1\]:[0-9]+ > \[fd00:202::2\]:8080 \[RST\] seq=0 ' "our kernel's RST"
ok "craft --send --reply IPv6 to a listener: SYN-ACK, then this host's kernel RST"
out="$WORK/reply_fin.txt"
in_a timeout 20 "$BIN" craft --dst $B4 --dport 8080 --flags F --send --reply 500ms >"$out" 2>&1 || fail "craft FIN: $(cat "$out")"
expect_line "$out" '^no reply within 500ms' "FIN to a listener"
expect_line "$out" 'listening port: no reply expected .*<- what happened' "FIN prediction"
ok "craft FIN to a listener: no reply, as RFC 9293 3.10.7.2 says"
kill "$LISTEN_PID" 2>/dev/null

# --- reset -----------------------------------------------------------------------------
cat >"$WORK/server.py" <<'EOF'
import socket, sys
port, log = int(sys.argv[1]), open(sys.argv[2], "w", buffering=1)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.202.0.2", port))
s.listen(1)
log.write("listening\n")
c, _ = s.accept()
log.write("accepted\n")
c.settimeout(20)
while True:
    try:
        d = c.recv(100)
    except ConnectionResetError:
        log.write("ECONNRESET\n")
        break
    except socket.timeout:
        log.write("TIMEOUT\n")
        break
    if not d:
        log.write("EOF\n")
        break
    log.write("got %s\n" % d.decode())
    if d == b"pong2":
        c.sendall(b"ok")
        log.write("SURVIVED\n")
        break
EOF
cat >"$WORK/client.py" <<'EOF'
import os, socket, sys, time
port, sport, work, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], open(sys.argv[4], "w", buffering=1)
def wait(name):
    for _ in range(300):
        if os.path.exists(os.path.join(work, name)):
            return
        time.sleep(0.05)
    log.write("no %s\n" % name)
    sys.exit(1)
c = socket.socket()
c.bind(("10.202.0.1", sport))
c.connect(("10.202.0.2", port))
log.write("connected\n")
wait("go%d" % port)
c.sendall(b"ping")
log.write("sent ping\n")
if len(sys.argv) > 5:
    wait("go2_%d" % port)
    c.sendall(b"pong2")
    c.settimeout(5)
    log.write("reply %s\n" % c.recv(10).decode())
else:
    time.sleep(3)
EOF

run_reset_case() {  # port, client source port, extra reset args...
  local port=$1 sport=$2
  shift 2
  in_b python3 "$WORK/server.py" "$port" "$WORK/server$port.log" &
  PIDS+=($!)
  wait_for "$WORK/server$port.log" listening
  in_b tcpdump -i "$VB" -n -U -w "$WORK/reset$port.pcap" tcp port "$port" 2>"$WORK/tcpdump$port.err" &
  PIDS+=($!)
  TCPDUMP_PID=$!
  wait_for "$WORK/tcpdump$port.err" "listening on"
  in_a python3 "$WORK/client.py" "$port" "$sport" "$WORK" "$WORK/client$port.log" ${SURVIVE:+survive} &
  PIDS+=($!)
  CLIENT_PID=$!
  wait_for "$WORK/client$port.log" connected
  wait_for "$WORK/server$port.log" accepted
  in_a timeout 30 "$BIN" reset --conn $A4:"$sport",$B4:"$port" -i "$VA" --wait 10 "$@" \
    >"$WORK/reset$port.txt" 2>&1 &
  PIDS+=($!)
  RESET_PID=$!
  wait_for "$WORK/reset$port.txt" "waiting up to"
  sleep 0.3  # the capture is open before the banner; give the ring a moment anyway
  touch "$WORK/go$port"
  wait "$RESET_PID" || fail "reset exited $?: $(cat "$WORK/reset$port.txt")"
}

# Exact RCV.NXT: the connection dies.
SURVIVE= run_reset_case 5000 41000 -w "$WORK/rst.pcap"
wait_for "$WORK/server5000.log" ECONNRESET
RST_SEQ=$(sed -n 's/^RST seq=\([0-9]*\) (RCV.NXT)$/\1/p' "$WORK/reset5000.txt")
[ -n "$RST_SEQ" ] || fail "no 'RST seq=' line: $(cat "$WORK/reset5000.txt")"
sleep 0.3
kill "$TCPDUMP_PID"
wait "$TCPDUMP_PID" 2>/dev/null
# What the receiver will accept next: seq + len of the data A sent (tshark's nxtseq).
NXT=$(tshark -r "$WORK/reset5000.pcap" -o tcp.relative_sequence_numbers:FALSE -Y "ip.src==$A4 && tcp.len>0" \
  -T fields -e tcp.nxtseq 2>/dev/null | head -1)
[ -n "$NXT" ] || fail "tshark saw no data from A"
[ "$RST_SEQ" = "$NXT" ] || fail "RST seq $RST_SEQ != receiver's RCV.NXT $NXT"
SEEN=$(tshark -r "$WORK/reset5000.pcap" -Y "tcp.flags.reset==1" -T fields -e tcp.seq_raw 2>/dev/null | head -1)
[ "$SEEN" = "$RST_SEQ" ] || fail "the receiver's capture shows RST seq '$SEEN', not $RST_SEQ"
# Nothing answers an accepted RST: a "challenge ACK" here would be a misreading.
expect_line "$WORK/reset5000.txt" '^outcome: nothing from 10.202.0.2:5000 within 1s' "reset outcome"
grep -q 'challenge ACK: ack' "$WORK/reset5000.txt" && fail "exact RST reported a challenge ACK: $(cat "$WORK/reset5000.txt")"
SAVED=$(tshark -r "$WORK/rst.pcap" -Y "tcp.flags==0x004" -T fields -e tcp.seq_raw 2>/dev/null)
[ "$SAVED" = "$RST_SEQ" ] || fail "reset -w saved RST seq '$SAVED', not $RST_SEQ"
expect_line "$WORK/reset5000.txt" "^RCV.NXT of 10.202.0.2:5000 = $NXT \(seq [0-9]+ \+ len 4 of 10.202.0.1:41000's segment\)" "reset explanation"
sed 's/^/    /' "$WORK/reset5000.txt"
ok "reset: RST seq=$RST_SEQ = RCV.NXT (tshark nxtseq $NXT); the server's recv() failed with ECONNRESET"

# Off by 1000: a challenge ACK, and the connection lives on.
SURVIVE=1 run_reset_case 5001 41001 --offset 1000
expect_line "$WORK/reset5001.txt" 'challenge ACK: ack = RCV.NXT' "challenge ACK in reset's report"
expect_line "$WORK/reset5001.txt" '^outcome: 10.202.0.2:5001 answered with a challenge ACK' "reset outcome"
OFF_SEQ=$(sed -n 's/^RST seq=\([0-9]*\) (RCV.NXT + 1000)$/\1/p' "$WORK/reset5001.txt")
[ -n "$OFF_SEQ" ] || fail "no 'RST seq=... (RCV.NXT + 1000)': $(cat "$WORK/reset5001.txt")"
touch "$WORK/go2_5001"
wait_for "$WORK/server5001.log" SURVIVED
wait_for "$WORK/client5001.log" "reply ok"
grep -q ECONNRESET "$WORK/server5001.log" && fail "the offset RST reset the connection"
sleep 0.3
kill "$TCPDUMP_PID"
wait "$TCPDUMP_PID" 2>/dev/null
# In B's capture: after the RST, B sends a pure ACK whose ack is RCV.NXT = RST seq - 1000.
tshark -r "$WORK/reset5001.pcap" -o tcp.relative_sequence_numbers:FALSE -T fields -E separator='|' \
  -e frame.number -e ip.src -e tcp.flags -e tcp.seq_raw -e tcp.ack_raw -e tcp.len >"$WORK/reset5001.txt.fields" 2>/dev/null
CHALLENGE=$(awk -F'|' -v b="$B4" -v want=$((OFF_SEQ - 1000)) '
  $3 == "0x0004" { rst = 1; next }
  rst && $2 == b && $3 == "0x0010" && $5 == want && $6 == 0 { print $1; exit }' "$WORK/reset5001.txt.fields")
[ -n "$CHALLENGE" ] || fail "no challenge ACK after the RST in B's capture: $(cat "$WORK/reset5001.txt.fields")"
sed 's/^/    /' "$WORK/reset5001.txt"
ok "reset --offset 1000: challenge ACK (frame $CHALLENGE, ack=$((OFF_SEQ - 1000))), connection still works"

# Exact RCV.NXT against tcpinspect's own echo server (the victim) and an interactive echo
# client (under a pty), with reset running in the victim's namespace: its RST to a local
# address goes over lo there, not over the veth. The client's next segment draws the
# victim's own RST; both applications get ECONNRESET, and the outcome must say the RST
# worked (it used to say the victim "kept talking").
cat >"$WORK/pty_client.py" <<'EOF'
import os, pty, select, sys, time
binary, target, work, log = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    os.execv(binary, [binary, "echo-client", target, "--timeout", "20"])
out = open(log, "wb", buffering=0)
def pump(seconds):
    end = time.time() + seconds
    while time.time() < end:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return
            if not data:
                return
            out.write(data)
def send(line):
    try:
        os.write(fd, line)
    except OSError:
        pass
for _ in range(300):  # bounded: 15 s
    if os.path.exists(os.path.join(work, "go_echo")):
        break
    pump(0.05)
send(b"ping\n")
pump(0.3)
send(b"more\n")
pump(3)
_, status = os.waitpid(pid, 0)
out.write(b"\nexit %d\n" % os.waitstatus_to_exitcode(status))
EOF
in_b "$BIN" echo-server --bind $B4 --port 5002 >"$WORK/echo_server.log" 2>&1 &
PIDS+=($!)
ECHO_PID=$!
wait_for "$WORK/echo_server.log" "listening on"
in_a python3 "$WORK/pty_client.py" "$BIN" $B4:5002 "$WORK" "$WORK/echo_client.log" &
PIDS+=($!)
PTY_PID=$!
ECHO_SPORT=
for _ in $(seq 100); do
  ECHO_SPORT=$(in_a ss -tnH state established "( dport = :5002 )" | awk '{print $3}' | sed 's/.*://' | head -1)
  [ -n "$ECHO_SPORT" ] && break
  sleep 0.1
done
[ -n "$ECHO_SPORT" ] || fail "the echo client did not connect: $(cat "$WORK/echo_client.log")"
in_b timeout 30 "$BIN" reset --conn $A4:"$ECHO_SPORT",$B4:5002 -i "$VB" --wait 10 >"$WORK/reset5002.txt" 2>&1 &
PIDS+=($!)
RESET_PID=$!
wait_for "$WORK/reset5002.txt" "waiting up to"
sleep 0.3
touch "$WORK/go_echo"
wait "$RESET_PID" || fail "reset exited $?: $(cat "$WORK/reset5002.txt")"
wait "$PTY_PID"
sed 's/^/    /' "$WORK/reset5002.txt"
expect_line "$WORK/reset5002.txt" '\(our RST, on lo\)$' "our RST seen on the victim's lo"
expect_line "$WORK/reset5002.txt" "<- RST from the victim" "the victim's RST marked"
expect_line "$WORK/reset5002.txt" "^outcome: 10.202.0.2:5002 answered the next segment with RST: the RST was accepted" "reset outcome"
grep -q "kept talking\|survives" "$WORK/reset5002.txt" && fail "reset claims the connection survived: $(cat "$WORK/reset5002.txt")"
expect_line "$WORK/echo_client.log" "^tcpinspect: connection reset by peer" "echo client's ECONNRESET"
expect_line "$WORK/echo_client.log" "^exit 1" "echo client's exit code"
expect_line "$WORK/echo_server.log" "^conn peer=10.202.0.1:$ECHO_SPORT in=[0-9]+ out=[0-9]+ .* end=reset$" "echo server's ECONNRESET"
kill "$ECHO_PID"
ok "reset of tcpinspect's echo server from its own namespace: RST seen on lo, the victim's RST counted as success, both applications got ECONNRESET"

echo "$PASSED passed, 0 failed"
