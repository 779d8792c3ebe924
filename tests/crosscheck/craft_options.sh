#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every craft option that docs/craft.md documents, decoded by tshark:
#  - four segments written with -w (IPv4 and IPv6, every field and every option, each
#    payload source, --bad-checksum, the route's default source address and port);
#  - as root, one real send on lo (--send --reply with --tfo-request) captured by tcpdump,
#    and --send --dry-run, which must send nothing.
#
# usage: craft_options.sh PATH/TO/tcpinspect
set -uo pipefail

BIN=${1:?usage: $0 PATH/TO/tcpinspect}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
command -v tshark >/dev/null || fail "missing tool: tshark"
[ -x "$BIN" ] || fail "not executable: $BIN"
WORK=$(mktemp -d /tmp/ti-craftopt-XXXXXX)
TCPDUMP_PID=
cleanup() {
  [ -n "$TCPDUMP_PID" ] && kill "$TCPDUMP_PID" 2>/dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

PCAP=$WORK/options.pcap
craft() {  # args...: one craft -w --append into $PCAP, its output kept for later checks
  "$BIN" craft "$@" -w "$PCAP" --append >>"$WORK/craft.txt" 2>&1 || fail "craft $*: $(cat "$WORK/craft.txt")"
}
printf 'file-data' >"$WORK/payload.bin"
craft --src 192.0.2.1 --dst 192.0.2.2 --sport 1111 --dport 2222 --flags SEC --seq 7 --ack 9 \
  --window 1000 --ttl 12 --id 0x0102 --df --tos 46 --mss 536 --wscale 14 --sack-ok --ts 1:2 \
  --tfo-cookie 0102030405060708 --data-hex 0a0b0c
craft --src 192.0.2.1 --dst 192.0.2.2 --sport 1112 --dport 2223 --seq 1 --tfo-request \
  --id 0x0203 --opt 30:abcd --opt 253 --data-file "$WORK/payload.bin"
craft --src fd00::1 --dst fd00::2 --sport 1113 --dport 2224 --flags N. --seq 2 --ack 3 \
  --urg-ptr 5 --ttl 3 --tos 184 --flow-label 0x12345 --sack 10-20 --data text --bad-checksum
# No --src, --sport or --seq: the route's source, a random ephemeral port, a random seq.
"$BIN" craft --dst 127.0.0.1 --dport 9 --hex -w "$PCAP" --append >"$WORK/default.txt" 2>&1 ||
  fail "craft defaults: $(cat "$WORK/default.txt")"

FIELDS=(-e ip.src -e ipv6.src -e tcp.srcport -e tcp.dstport -e tcp.flags -e tcp.seq_raw
  -e tcp.ack_raw -e tcp.window_size_value -e tcp.urgent_pointer -e ip.ttl -e ipv6.hlim -e ip.id
  -e ip.flags.df -e ip.dsfield -e ipv6.tclass -e ipv6.flow -e tcp.option_kind -e tcp.option_len
  -e tcp.options.mss_val -e tcp.options.wscale.shift -e tcp.options.timestamp.tsval
  -e tcp.options.timestamp.tsecr -e tcp.options.sack_le -e tcp.options.sack_re
  -e tcp.options.tfo.request -e tcp.options.tfo.cookie -e tcp.payload -e tcp.checksum.status)
tshark -r "$PCAP" -o tcp.check_checksum:TRUE -o tcp.relative_sequence_numbers:FALSE -T fields \
  -E separator='|' "${FIELDS[@]}" >"$WORK/fields.txt" 2>"$WORK/tshark.err" ||
  fail "tshark: $(cat "$WORK/tshark.err")"
[ "$(wc -l <"$WORK/fields.txt")" = 4 ] || fail "expected 4 frames: $(cat "$WORK/fields.txt")"
expect_frame() {  # number, expected fields
  local got
  got=$(sed -n "${1}p" "$WORK/fields.txt")
  [ "$got" = "$2" ] || fail "frame $1:
  got      $got
  expected $2"
}
# SYN+ECE+CWR, ack without ACK, TTL 12, id 0x0102, DF, DSCP/TOS 0x2e; MSS, SACK-permitted +
# TS, NOP WS, Fast Open cookie, EOL padding (lengths 4 2 10 3 10); hex payload.
expect_frame 1 "192.0.2.1||1111|2222|0x00c2|7|9|1000|0|12||0x0102|1|0x2e|||2,4,8,1,3,34,0,0|4,2,10,3,10|536|14|1|2||||0102030405060708|0a0b0c|1"
# Fast Open cookie request (kind 34, length 2), raw kinds 30 (with data) and 253 (none),
# the payload read from a file.
expect_frame 2 "192.0.2.1||1112|2223|0x0002|1|0|64240|0|64||0x0203|0|0x00|||34,30,253|2,4,2|||||||1||66696c652d64617461|1"
# IPv6: AE+ACK, urgent pointer without URG, hop limit 3, traffic class 184, flow label
# 0x12345; NOP NOP SACK 10-20; text payload; checksum deliberately wrong (status 0).
expect_frame 3 "|fd00::1|1113|2224|0x0110|2|3|64240|5||3||||0x000000b8|0x012345|1,1,5|10|||||10|20|||74657874|0"
# Defaults: source 127.0.0.1 (the route's), a port in 32768-60999, the seq craft printed, a
# non-zero IPv4 id, window 64240, TTL 64, a plain SYN without options.
IFS='|' read -r src _ sport dport flags seq ack win urg ttl _ id df _ <<<"$(sed -n 4p "$WORK/fields.txt")"
printed_seq=$(sed -n 's/^crafted .* seq=\([0-9]*\) .*/\1/p' "$WORK/default.txt")
[ "$src|$dport|$flags|$ack|$win|$urg|$ttl|$df" = "127.0.0.1|9|0x0002|0|64240|0|64|0" ] ||
  fail "frame 4 defaults: $(sed -n 4p "$WORK/fields.txt")"
[ "$sport" -ge 32768 ] && [ "$sport" -le 60999 ] || fail "default source port $sport"
[ "$seq" = "$printed_seq" ] || fail "frame 4 seq $seq, craft printed '$printed_seq'"
[ "$id" != 0x0000 ] || fail "default IPv4 id is 0 (Linux would overwrite it)"
grep -q '^0028  .*' "$WORK/default.txt" && fail "--hex shows options that were not asked for"
grep -Eq '^0024  [0-9a-f]{2} [0-9a-f]{2} +checksum 0x[0-9a-f]{4} \(correct\)$' "$WORK/default.txt" ||
  fail "--hex: no correct checksum line: $(cat "$WORK/default.txt")"
echo "ok: craft -w: every documented field and option as tshark decodes them (4 frames)"

if [ "$(id -u)" != 0 ]; then
  echo "SKIP: the real send on lo needs root (raw socket, tcpdump)"
  exit 0
fi
command -v tcpdump >/dev/null || fail "missing tool: tcpdump"
# Ports nothing listens on, chosen per run: the kernel answers the SYN with RST/ACK.
PORT=$((20000 + $$ % 10000))
DRY_PORT=$((PORT + 1))
COUNT_PORT=$((PORT + 2))
tcpdump -Z root --immediate-mode -i lo -n -U -w "$WORK/lo.pcap" \
  "tcp and (port $PORT or port $DRY_PORT or dst port $COUNT_PORT)" 2>"$WORK/tcpdump.err" &
TCPDUMP_PID=$!
for _ in $(seq 100); do
  grep -q "listening on" "$WORK/tcpdump.err" 2>/dev/null && break
  sleep 0.1
done
grep -q "listening on" "$WORK/tcpdump.err" || fail "tcpdump did not start: $(cat "$WORK/tcpdump.err")"
timeout 20 "$BIN" craft --dst 127.0.0.1 --dport "$DRY_PORT" --send --dry-run >"$WORK/dry.txt" 2>&1 ||
  fail "craft --send --dry-run: $(cat "$WORK/dry.txt")"
timeout 20 "$BIN" craft --dst 127.0.0.1 --dport "$PORT" --seq 4242 --tfo-request --mss 1460 \
  --send --reply 1s --no-annotate >"$WORK/send.txt" 2>&1 || fail "craft --send: $(cat "$WORK/send.txt")"
# hping3-style: three SYNs 150 ms apart.
timeout 20 "$BIN" craft --dst 127.0.0.1 --dport "$COUNT_PORT" -c 3 -i 150ms --send >"$WORK/count.txt" 2>&1 ||
  fail "craft -c 3 -i 150ms: $(cat "$WORK/count.txt")"
sleep 0.3
kill "$TCPDUMP_PID"
wait "$TCPDUMP_PID" 2>/dev/null
TCPDUMP_PID=
grep -Eq "^reply +127\.0\.0\.1:$PORT > 127\.0\.0\.1:[0-9]+ \[RST,ACK\] seq=0 ack=4243 " "$WORK/send.txt" ||
  fail "craft --reply did not print the kernel's RST/ACK: $(cat "$WORK/send.txt")"
[ "$(grep -c '^sent ' "$WORK/count.txt")" = 3 ] || fail "craft -c 3 printed: $(cat "$WORK/count.txt")"
tshark -r "$WORK/lo.pcap" -Y "tcp.dstport == $COUNT_PORT" -T fields -e frame.time_epoch >"$WORK/count_times.txt" 2>/dev/null
python3 - "$WORK/count_times.txt" <<'EOF' || fail "craft -c 3 -i 150ms on the wire: $(cat "$WORK/count_times.txt")"
import sys
t = [float(x) for x in open(sys.argv[1]).read().split()]
gaps = [b - a for a, b in zip(t, t[1:])]
print("craft -c 3 -i 150ms: gaps", " ".join("%.3f" % g for g in gaps))
# Spaced from the first send's start: a late first send shortens one gap, never the span.
sys.exit(0 if len(t) == 3 and all(0.1 <= g < 0.5 for g in gaps) and t[2] - t[0] >= 0.28 else 1)
EOF
tshark -r "$WORK/lo.pcap" -Y "tcp.port != $COUNT_PORT" -o tcp.relative_sequence_numbers:FALSE -T fields -E separator='|' \
  -e tcp.dstport -e tcp.flags -e tcp.seq_raw -e tcp.ack_raw -e tcp.option_kind \
  -e tcp.options.tfo.request -e tcp.options.mss_val >"$WORK/lo.txt" 2>/dev/null
# Exactly our SYN (MSS, Fast Open request, EOL padding) and the kernel's RST/ACK; nothing
# from the dry run.
expected="$PORT|0x0002|4242|0|2,34,0,0|1|1460"
[ "$(sed -n 1p "$WORK/lo.txt")" = "$expected" ] || fail "lo frame 1: $(cat "$WORK/lo.txt")"
[ "$(sed -n 2p "$WORK/lo.txt" | cut -d'|' -f2-4)" = "0x0014|0|4243" ] || fail "lo frame 2: $(cat "$WORK/lo.txt")"
[ "$(wc -l <"$WORK/lo.txt")" = 2 ] || fail "expected 2 frames on lo (none from --dry-run): $(cat "$WORK/lo.txt")"
echo "ok: craft --send --tfo-request on lo: tshark sees the SYN with the cookie request, the kernel's RST/ACK; --dry-run sent nothing; -c 3 -i 150ms sent 3 SYNs 150 ms apart"
