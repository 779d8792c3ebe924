#!/usr/bin/env bash
# Bad input to `replay`: one clear line on stderr and a non-zero exit, never a crash, and
# everything decoded before a damaged record is still printed.
set -uo pipefail
bin=$1 samples=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0 passed=0

# expect NAME EXIT_CODE STDERR_PATTERN -- ARGS...
expect() {
  local name=$1 want_rc=$2 pattern=$3
  shift 4
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local lines
  lines=$(wc -l <"$tmp/err")
  if [ "$rc" -ne "$want_rc" ] || ! grep -qE -e "$pattern" "$tmp/err" || [ "$lines" -ne 1 ]; then
    echo "FAIL $name: exit $rc (want $want_rc), stderr ($lines lines):"
    sed 's/^/    /' "$tmp/err"
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
  fi
}

expect missing-file 1 "nonexistent.pcap: No such file or directory" -- replay "$tmp/nonexistent.pcap"
mkdir "$tmp/dir"
# A directory stands for the captures in it (replay_merge.sh); an empty one is an error.
expect empty-directory 1 "dir: empty directory, no capture files in it" -- replay "$tmp/dir"
: >"$tmp/empty.pcap"
expect empty-file 1 "empty file" -- replay "$tmp/empty.pcap"
expect not-a-capture 1 "not a pcap or pcapng" -- replay "$samples/bad/not_a_capture.pcap"
# --conn naming a connection the capture does not have: said, not an empty output.
expect conn-out-of-range 1 "^tcpinspect: --conn: no connection #5 in this capture \\(it has 1: #1\\)$" -- replay "$samples/client_close.pcap" --conn 5
expect conns-out-of-range 1 "^tcpinspect: --conn: no connection #7, #9 in this capture \\(it has 1: #1\\)$" -- replay "$samples/client_close.pcap" --conn 1,7,9 --format summary
# A mistyped second capture is a missing file, not a BPF syntax error.
expect mistyped-second-file 1 "^tcpinspect: $tmp/nosuch.pcap: No such file or directory \\(nor is it a filter expression\\)$" -- replay "$samples/client_close.pcap" "$tmp/nosuch.pcap"
expect mistyped-path 1 "^tcpinspect: caps/x: No such file or directory" -- replay "$samples/client_close.pcap" caps/x
# A directory's files that are not captures are skipped with a note; the captures are read.
mkdir "$tmp/mixed"
cp "$samples/client_close.pcap" "$samples/refused.pcap" "$tmp/mixed/"
echo "notes" >"$tmp/mixed/README.md"
expect directory-with-readme 0 "^tcpinspect: skipped $tmp/mixed/README.md: not a capture file$" -- replay "$tmp/mixed" --format summary
grep -q "^2 connections, " "$tmp/out" && passed=$((passed + 1)) ||
  { echo "FAIL directory-with-readme: $(cat "$tmp/out")"; failures=$((failures + 1)); }
rm "$tmp/mixed/"*.pcap
expect directory-without-captures 1 "mixed: no capture files in it" -- replay "$tmp/mixed"
expect bad-filter 1 "bad filter expression 'port banana'" -- replay "$samples/client_close.pcap" port banana
expect bad-format 2 "format" -- replay "$samples/client_close.pcap" --format xml
expect bad-threads 2 "--threads: must be 1 or 2, not 'x'" -- replay "$samples/client_close.pcap" --threads x
expect unwritable-output 1 "cannot write $tmp/dir/no/such.html: No such file or directory" -- replay "$samples/client_close.pcap" --format html -o "$tmp/dir/no/such.html"
expect bad-lang 2 "--lang" -- replay "$samples/client_close.pcap" --format explain --lang fr
expect bad-conn 2 "--conn" -- replay "$samples/client_close.pcap" --format svg --conn 0
expect too-many-threads 2 "--threads: must be 1 or 2, not '3'" -- replay "$samples/client_close.pcap" --threads 3

# A pcap header with link type 147 (LINKTYPE_USER0), which no decoder knows.
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x93\x00\x00\x00' >"$tmp/user0.pcap"
expect unknown-link 1 "unsupported link type" -- replay "$tmp/user0.pcap"

# A record cut in the middle: frames before it are printed, then the error names the
# frame and its byte offset.
expect truncated-file 1 "frame [0-9]+ at byte offset [0-9]+" -- replay "$samples/bad/truncated_file.pcap"
if ! grep -q "C>S" "$tmp/out"; then
  echo "FAIL truncated-file: frames before the damage were not printed"
  failures=$((failures + 1))
fi
if ! grep -q "^── #1" "$tmp/out"; then
  echo "FAIL truncated-file: no connection summary for what was read"
  failures=$((failures + 1))
fi

# Standard input gives the same result as the file.
"$bin" replay "$samples/client_close.pcap" --format jsonl >"$tmp/file.jsonl"
"$bin" replay - --format jsonl <"$samples/client_close.pcap" >"$tmp/stdin.jsonl"
if cmp -s "$tmp/file.jsonl" "$tmp/stdin.jsonl"; then passed=$((passed + 1)); else
  echo "FAIL stdin: output differs from reading the file"
  failures=$((failures + 1))
fi

# A BPF filter after the file name selects frames but keeps tshark's frame numbers.
"$bin" replay "$samples/port_reuse.pcap" --format jsonl 'tcp[tcpflags] & tcp-syn != 0' >"$tmp/syn.jsonl"
frames=$(grep -o '"type":"segment","frame":[0-9]*' "$tmp/syn.jsonl" | sed 's/.*://' | tr '\n' ' ')
want=$(tshark -r "$samples/port_reuse.pcap" -Y 'tcp.flags.syn == 1' -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
if [ -n "$want" ] && [ "$frames" = "$want" ]; then passed=$((passed + 1)); else
  echo "FAIL filter: frames '$frames', tshark says '$want'"
  failures=$((failures + 1))
fi
"$bin" replay "$samples/client_close.pcap" --format jsonl port 1 >"$tmp/none.jsonl"
if grep -q '"type":"segment"' "$tmp/none.jsonl"; then
  echo "FAIL filter: 'port 1' still let segments through"
  failures=$((failures + 1))
else passed=$((passed + 1)); fi

# -o writes the file, standard output stays empty.
"$bin" replay "$samples/client_close.pcap" --format svg -o "$tmp/ladder.svg" >"$tmp/stdout"
if [ -s "$tmp/stdout" ] || ! grep -q '</svg>' "$tmp/ladder.svg"; then
  echo "FAIL -o: stdout $(wc -c <"$tmp/stdout") bytes, file $(wc -c <"$tmp/ladder.svg") bytes"
  failures=$((failures + 1))
else passed=$((passed + 1)); fi

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
