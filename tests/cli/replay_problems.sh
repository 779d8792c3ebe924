#!/usr/bin/env bash
# Decode and option problems: jsonl carries their stable ids (docs/json.md, "Problem ids"),
# text output the prose. The capture is built here: raw IP frames no sample has.
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

python3 - "$tmp/problems.pcap" <<'PY'
import struct, sys

def tcp(flags, options=b"", data_offset=None):
    hdr_len = 20 + len(options)
    off = (data_offset if data_offset is not None else hdr_len // 4) << 12
    return struct.pack("!HHIIHHHH", 40000, 80, 1000, 0, off | flags, 64240, 0, 0) + options

def ipv4(payload, total_len=None):
    total = total_len if total_len is not None else 20 + len(payload)
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, 0, 64, 6, 0,
                       bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + payload

frames = [
    ipv4(tcp(0x02), total_len=200),                          # total length lies: decoded
    ipv4(tcp(0x02, data_offset=3)),                           # data offset 3
    ipv4(tcp(0x02, options=bytes([1, 2, 3, 5]))),             # NOP, MSS with length 3
]
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))  # LINKTYPE_RAW
    for i, frame in enumerate(frames):
        f.write(struct.pack("<IIII", 1700000000, i, len(frame), len(frame)) + frame)
PY

# expect_line NAME FILE EXACT_LINE
expect_line() {
  if ! grep -qxF -- "$3" "$2"; then
    echo "FAIL $1: no line"
    echo "    $3"
    echo "  in:"
    sed 's/^/    /' "$2"
    failures=$((failures + 1))
  fi
}

"$bin" replay "$tmp/problems.pcap" --format jsonl --no-checksums >"$tmp/out.jsonl" 2>"$tmp/err" ||
  { echo "FAIL jsonl: exit $?: $(cat "$tmp/err")"; exit 1; }
# A total length beyond the frame is decoded anyway (tolerant decoding, as tshark does): the
# SYN is a segment whose length comes from the frame, and it carries the problem id.
if ! grep -q '^{"type":"segment","frame":1,.*"flags":\["SYN"\],"seq":1000,.*"len":0,.*"problems":\["ipv4_total_length_exceeds_frame"\]' "$tmp/out.jsonl"; then
  echo "FAIL ipv4-total-length: segment 1 is not decoded with the problem id:"
  sed 's/^/    /' "$tmp/out.jsonl"
  failures=$((failures + 1))
fi
if grep -q '"type":"problem","frame":1,' "$tmp/out.jsonl"; then
  echo "FAIL ipv4-total-length: frame 1 is still a problem record"
  failures=$((failures + 1))
fi
expect_line tcp-data-offset "$tmp/out.jsonl" \
  '{"type":"problem","frame":2,"ts":1700000000.000001000,"ts_ns":1700000000000001000,"rel_ts":0.000001000,"kind":"malformed","detail":"TCP data offset 3 < 5","problems":["tcp_data_offset_below_5"]}'
if ! grep -q '^{"type":"segment","frame":3,.*"options":{"problem":"TCP MSS option length is not 4"},.*,"problems":\["tcp_mss_option_length_not_4"\]' "$tmp/out.jsonl"; then
  echo "FAIL mss-option: segment 3 lacks the option problem id:"
  grep '"frame":3' "$tmp/out.jsonl" | sed 's/^/    /'
  failures=$((failures + 1))
fi

# Text keeps the prose and shows no ids.
"$bin" replay "$tmp/problems.pcap" --no-checksums --color never >"$tmp/out.txt" 2>"$tmp/err" ||
  { echo "FAIL text: exit $?: $(cat "$tmp/err")"; exit 1; }
for prose in "IPv4 total length exceeds the frame: length taken from the frame" "TCP data offset 3 < 5" \
  "<nop,mss 0,bad options: TCP MSS option length is not 4>"; do
  grep -qF -- "$prose" "$tmp/out.txt" || {
    echo "FAIL text: no '$prose' in:"
    sed 's/^/    /' "$tmp/out.txt"
    failures=$((failures + 1))
  }
done
if grep -qE "ipv4_total_length_exceeds_frame|tcp_data_offset_below_5|tcp_mss_option_length_not_4" "$tmp/out.txt"; then
  echo "FAIL text: shows problem ids"
  failures=$((failures + 1))
fi

[ "$failures" -eq 0 ] && echo "ok: problem ids in jsonl, prose in text"
exit "$failures"
