#!/usr/bin/env bash
# replay reads like tcpdump, tshark and mergecap: -r, several captures and directories
# merged in time order (checked against mergecap and tshark), gzip/xz/zstd read directly
# (by magic bytes, also from standard input), -c N, -n/-nn; and damaged inputs end in one
# clear line and exit 1 with what was read still analysed.
set -uo pipefail
bin=$1 samples=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0 passed=0
ok() { passed=$((passed + 1)); }
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}
for tool in mergecap editcap tshark gzip xz zstd; do
  command -v $tool >/dev/null || { echo "FAIL $tool is missing (scripts/install-deps.sh)"; exit 1; }
done
# same NAME WANT GOT: the two outputs are identical and not empty.
same() {
  if [ -s "$2" ] && cmp -s "$2" "$3"; then ok; else fail "$1: output differs ($(diff "$2" "$3" | head -3))"; fi
}
s=$samples/client_close.pcap

# -r is the positional file; with -r every positional word is filter, as for tcpdump.
"$bin" replay "$s" --format jsonl >"$tmp/want"
"$bin" replay -r "$s" --format jsonl >"$tmp/got"
same "-r FILE" "$tmp/want" "$tmp/got"
"$bin" replay "$s" tcp port 80 --format jsonl >"$tmp/want"
"$bin" replay -r "$s" tcp port 80 --format jsonl >"$tmp/got"
same "-r FILE filter" "$tmp/want" "$tmp/got"
# -n and -nn change nothing (nothing is resolved anyway).
"$bin" replay -n "$s" --format jsonl >"$tmp/got" && same "-n" "$tmp/want" "$tmp/got"
"$bin" replay -nn -r "$s" tcp port 80 --format jsonl >"$tmp/got" && same "-nn" "$tmp/want" "$tmp/got"

# A connection split across rotated files is one connection: the parts, in any order, as
# files, compressed each its own way, or as their directory, give the whole file's output.
mkdir "$tmp/rotated"
editcap -c 4 "$s" "$tmp/rotated/part.pcap"
parts=("$tmp"/rotated/part_*)
[ ${#parts[@]} -eq 3 ] || fail "editcap made ${#parts[@]} parts"
for threads in 1 2; do
  "$bin" replay "$s" --format jsonl --threads $threads >"$tmp/want"
  "$bin" replay "${parts[2]}" "${parts[0]}" "${parts[1]}" --format jsonl --threads $threads >"$tmp/got"
  same "rotated parts --threads $threads" "$tmp/want" "$tmp/got"
  "$bin" replay "$tmp/rotated" --format jsonl --threads $threads >"$tmp/got"
  same "rotated directory --threads $threads" "$tmp/want" "$tmp/got"
done
gzip -c "${parts[0]}" >"$tmp/p0" && xz -c "${parts[1]}" >"$tmp/p1.xz" && zstd -qc "${parts[2]}" >"$tmp/p2.pcap.zst"
"$bin" replay -r "$tmp/p2.pcap.zst" -r "$tmp/p0" -r "$tmp/p1.xz" --format jsonl >"$tmp/got"
same "rotated parts compressed (gzip without extension, xz, zstd)" "$tmp/want" "$tmp/got"

# Several captures against the oracle: mergecap's merge read by replay. mergecap puts the
# later file's frame first on equal timestamps; tcpinspect keeps the order of the inputs
# (stable), which is mergecap's merge of the inputs in reverse order.
set_a=("$samples/client_close.pcap" "$samples/refused.pcap" "$samples/retransmission.pcap")
set_b=("$samples/port_reuse.pcap" "$samples/time_wait.pcap" "$samples/half_close.pcap" "$samples/out_of_order.pcap")
for set in a b; do
  declare -n files="set_$set"
  reversed=()
  for ((i = ${#files[@]} - 1; i >= 0; i--)); do reversed+=("${files[$i]}"); done
  mergecap -F pcap -w "$tmp/merged.pcap" "${reversed[@]}"
  for threads in 1 2; do
    "$bin" replay "$tmp/merged.pcap" --format jsonl --threads $threads >"$tmp/want"
    "$bin" replay "${files[@]}" --format jsonl --threads $threads >"$tmp/got"
    same "set $set merged as mergecap --threads $threads" "$tmp/want" "$tmp/got"
  done
done

# Mixed link types (Linux cooked v2, Ethernet, Ethernet with VLAN tags): each frame decoded
# for its own file's link type, numbered in merged order. libpcap cannot read mergecap's
# pcapng of them (one link type per file), so tshark reads it: frame numbers, ports and raw
# sequence numbers must agree frame by frame.
mixed=("$samples/linux_sll2.pcap" "$samples/client_close.pcap" "$samples/ipv6.pcap" "$samples/vlan.pcap")
mergecap -w "$tmp/mixed.pcapng" "$samples/vlan.pcap" "$samples/ipv6.pcap" "$samples/client_close.pcap" "$samples/linux_sll2.pcap"
tshark -r "$tmp/mixed.pcapng" -Y tcp -T fields -e frame.number -e tcp.srcport -e tcp.dstport \
  -e tcp.seq_raw 2>/dev/null >"$tmp/want"
"$bin" replay "${mixed[@]}" --format jsonl | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r.get("type") == "segment":
        print(r["frame"], r["src"].rsplit(":", 1)[1], r["dst"].rsplit(":", 1)[1], r["seq"], sep="\t")
' | sort -n >"$tmp/got"  # records wait for confirmation per connection (docs/json.md): frame order
same "mixed link types vs tshark" "$tmp/want" "$tmp/got"

# Compressed captures, told by their magic bytes (not the name), from files and from
# standard input, pcap and pcapng.
python3 "$(dirname "$0")/pcap_to_pcapng.py" "$s" "$tmp/c.pcapng"
for capture in "$s" "$tmp/c.pcapng"; do
  "$bin" replay "$capture" --format jsonl >"$tmp/want"
  for z in "gzip -c" "xz -c" "zstd -qc"; do
    $z "$capture" >"$tmp/z"
    "$bin" replay "$tmp/z" --format jsonl >"$tmp/got"
    same "$z $(basename "$capture")" "$tmp/want" "$tmp/got"
    $z "$capture" | "$bin" replay - --format jsonl >"$tmp/got"
    same "$z $(basename "$capture") | replay -" "$tmp/want" "$tmp/got"
    "$bin" replay -r - --format jsonl <"$tmp/z" >"$tmp/got"
    same "replay -r - < $z $(basename "$capture")" "$tmp/want" "$tmp/got"
  done
done
# A capture cut in two byte ranges, each gzipped, concatenated: one gzip stream of members.
head -c 500 "$s" | gzip -c >"$tmp/cat.gz" && tail -c +501 "$s" | gzip -c >>"$tmp/cat.gz"
"$bin" replay "$s" --format jsonl >"$tmp/want"
"$bin" replay "$tmp/cat.gz" --format jsonl >"$tmp/got"
same "concatenated gzip members" "$tmp/want" "$tmp/got"

# -c N: the first N frames that pass the filter (as tcpdump -c), also across merged files.
frames() { grep -o '"type":"segment","frame":[0-9]*' "$1" | sed 's/.*://' | tr '\n' ' '; }
"$bin" replay -c 3 "$s" --format jsonl >"$tmp/got"
[ "$(frames "$tmp/got")" = "1 2 3 " ] && ok || fail "-c 3: frames $(frames "$tmp/got")"
"$bin" replay -c 2 -r "$s" 'tcp[13] & 1 != 0' --format jsonl >"$tmp/got"  # FIN segments
want=$(tshark -r "$s" -Y 'tcp.flags.fin == 1' -T fields -e frame.number 2>/dev/null | head -2 | tr '\n' ' ')
[ "$(frames "$tmp/got")" = "$want" ] && ok || fail "-c 2 with a filter: frames '$(frames "$tmp/got")', tshark '$want'"
"$bin" replay -c 5 "${parts[@]}" --format jsonl >"$tmp/got"
[ "$(frames "$tmp/got")" = "1 2 3 4 5 " ] && ok || fail "-c 5 over parts: frames $(frames "$tmp/got")"

# Usage: no capture at all; standard input twice.
"$bin" replay --format jsonl >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "a capture to read is required" "$tmp/err" && ok || fail "no capture: exit $rc: $(cat "$tmp/err")"
"$bin" replay -r - -r - </dev/null >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "standard input (-) can be read only once" "$tmp/err" && ok || fail "- twice: exit $rc: $(cat "$tmp/err")"

# Damage: one line on stderr, exit 1, and what was read before it still analysed (summary).
# expect_damage NAME LINE_REGEX SEGMENTS_AT_LEAST ARGS...
expect_damage() {
  local name=$1 line=$2 least=$3
  shift 3
  "$bin" replay "$@" --format summary >"$tmp/out" 2>"$tmp/err"
  local rc=$? segments
  segments=$(grep -o '[0-9]* TCP segments' "$tmp/out" | cut -d' ' -f1)
  if [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -Eq "$line" "$tmp/err" &&
    [ "${segments:-0}" -ge "$least" ]; then ok; else
    fail "$name: exit $rc, ${segments:-no} segments analysed, stderr: $(cat "$tmp/err")"
  fi
}
big=$samples/retransmission.pcap
# Large enough for several zstd blocks and xz chunks: 40 copies of the sample, merged.
for i in $(seq 1 40); do cp "$big" "$tmp/copy$i.pcap"; done
mergecap -F pcap -w "$tmp/big.pcap" "$tmp"/copy*.pcap && rm "$tmp"/copy*.pcap
size=$(stat -c %s "$tmp/big.pcap")
for z in gzip xz zstd; do
  case $z in zstd) $z -qc --no-check "$tmp/big.pcap" >"$tmp/big.$z" ;; *) $z -c "$tmp/big.pcap" >"$tmp/big.$z" ;; esac
  zsize=$(stat -c %s "$tmp/big.$z")
  head -c $((zsize * 3 / 4)) "$tmp/big.$z" >"$tmp/cut.$z"
  expect_damage "truncated $z" "^tcpinspect: $tmp/cut.$z: frame [0-9]+: truncated $z data: the file ends inside a compressed stream$" 10 "$tmp/cut.$z"
  head -c $((zsize * 3 / 4)) "$tmp/big.$z" | expect_damage "truncated $z on stdin" "^tcpinspect: standard input: frame [0-9]+: truncated $z data" 10 -
done
cp "$tmp/big.gzip" "$tmp/corrupt.gz"
zsize=$(stat -c %s "$tmp/corrupt.gz")
printf '\377\377\377\377\377\377\377\377\377\377\377\377' | dd of="$tmp/corrupt.gz" bs=1 seek=$((zsize / 2)) conv=notrunc status=none
expect_damage "corrupt gzip" "^tcpinspect: $tmp/corrupt.gz: frame [0-9]+: corrupt gzip data \(zlib: " 10 "$tmp/corrupt.gz"
# A foreign file in a directory (a README beside the pcaps, `replay samples/`): skipped
# with one line saying so, the captures in it analysed, exit 0. Named on its own, the same
# file is an error (replay_errors.sh).
mkdir "$tmp/mixed_dir"
cp "$samples/client_close.pcap" "$samples/refused.pcap" "$tmp/mixed_dir/"
echo "not a capture" >"$tmp/mixed_dir/notes.txt"
"$bin" replay "$tmp/mixed_dir" --format summary >"$tmp/out" 2>"$tmp/err"
rc=$?
segments=$(grep -o '[0-9]* TCP segments' "$tmp/out" | cut -d' ' -f1)
[ $rc -eq 0 ] && [ "$(cat "$tmp/err")" = "tcpinspect: skipped $tmp/mixed_dir/notes.txt: not a capture file" ] &&
  [ "${segments:-0}" -eq 12 ] && ok ||
  fail "foreign file in a directory: exit $rc, ${segments:-no} segments analysed, stderr: $(cat "$tmp/err")"
mkdir "$tmp/empty_dir"
expect_damage "empty directory" "^tcpinspect: $tmp/empty_dir: empty directory, no capture files in it$" 0 "$tmp/empty_dir"
expect_damage "empty directory beside a capture" "^tcpinspect: $tmp/empty_dir: empty directory" 10 -r "$s" -r "$tmp/empty_dir"
gzip -c "$(dirname "$0")/replay_merge.sh" >"$tmp/script.gz"
expect_damage "compressed non-capture" "^tcpinspect: $tmp/script.gz: not a pcap or pcapng capture file \(inside the gzip compression\)$" 0 "$tmp/script.gz"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
