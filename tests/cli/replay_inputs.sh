#!/usr/bin/env bash
# Inputs that are not regular files, output that cannot be written, timestamps past 2262:
# `replay` reads every kind of input it is given once, as a stream, and never fails
# silently.
set -uo pipefail
bin=$1 samples=$2 here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0 passed=0
ok() { passed=$((passed + 1)); }
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}

sample=$samples/client_close.pcap
python3 "$here/pcap_to_pcapng.py" "$sample" "$tmp/client_close.pcapng" || exit 1

# Every way of handing over the same capture gives the same output as the file itself.
for capture in "$sample" "$tmp/client_close.pcapng"; do
  kind=${capture##*.}
  for threads in 1 2; do
    "$bin" replay "$capture" --format jsonl --threads $threads >"$tmp/want" 2>"$tmp/err" ||
      fail "$kind file: exit $?: $(cat "$tmp/err")"
    check() {  # check NAME: compares $tmp/got with the file's output
      if [ "$1" != "" ] && cmp -s "$tmp/want" "$tmp/got" && [ -s "$tmp/want" ]; then ok; else
        fail "$kind --threads $threads $1: output differs from reading the file; stderr:"
        sed 's/^/    /' "$tmp/err"
      fi
    }
    rm -f "$tmp/fifo" && mkfifo "$tmp/fifo"
    cat "$capture" >"$tmp/fifo" &
    timeout 20 "$bin" replay "$tmp/fifo" --format jsonl --threads $threads >"$tmp/got" 2>"$tmp/err"
    check fifo
    wait
    cat "$capture" | timeout 20 "$bin" replay - --format jsonl --threads $threads >"$tmp/got" 2>"$tmp/err"
    check "cat |"
    cat "$capture" | timeout 20 "$bin" replay /dev/stdin --format jsonl --threads $threads >"$tmp/got" 2>"$tmp/err"
    check "cat | /dev/stdin"
    timeout 20 "$bin" replay <(cat "$capture") --format jsonl --threads $threads >"$tmp/got" 2>"$tmp/err"
    check "<(cat)"
  done
done

# Standard input redirected from a regular file that was already partly read: replay starts
# where the file stood, not at its beginning.
{ printf '0123456789'; cat "$sample"; } >"$tmp/prefixed"
"$bin" replay "$sample" --format jsonl >"$tmp/want"
(dd bs=10 count=1 status=none of=/dev/null && "$bin" replay - --format jsonl) <"$tmp/prefixed" >"$tmp/got" 2>"$tmp/err"
if cmp -s "$tmp/want" "$tmp/got"; then ok; else fail "stdin from a partly read file: $(cat "$tmp/err")"; fi

# A stream that is not a capture, and one that is empty: one line, exit 1.
printf 'hello, not a capture at all' | "$bin" replay - >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "standard input: not a pcap or pcapng" "$tmp/err"; then ok; else
  fail "not-a-capture stream: exit $rc, stderr: $(cat "$tmp/err")"
fi
"$bin" replay - </dev/null >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "standard input: no data" "$tmp/err"; then ok; else
  fail "empty stream: exit $rc, stderr: $(cat "$tmp/err")"
fi

# An unreadable file: the path named once, with the reason.
cp "$sample" "$tmp/secret.pcap" && chmod 000 "$tmp/secret.pcap"
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  chmod 755 "$tmp"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
"${as_user[@]}" "$bin" replay "$tmp/secret.pcap" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(cat "$tmp/err")" = "tcpinspect: $tmp/secret.pcap: Permission denied" ]; then ok; else
  fail "unreadable file: exit $rc, stderr: $(cat "$tmp/err")"
fi

# Standard output that cannot be written: one line naming the error, exit 1, in every format
# and thread mode (the output would otherwise stop mid-line with exit 0).
for threads in 1 2; do
  for format in text jsonl summary ladder; do
    "$bin" replay "$sample" --format $format --threads $threads >/dev/full 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 1 ] && [ "$(cat "$tmp/err")" = "tcpinspect: standard output: write failed: No space left on device" ]; then ok; else
      fail "/dev/full --format $format --threads $threads: exit $rc, stderr: $(cat "$tmp/err")"
    fi
  done
done

# A pcapng frame dated 2300 (after 2262-04-11, beyond 64-bit nanoseconds since 1970) is
# skipped with one warning naming it; the other frames are analysed with their own times.
python3 "$here/pcap_to_pcapng.py" "$sample" "$tmp/future.pcapng" --far-future 3 || exit 1
for threads in 1 2; do
  "$bin" replay "$tmp/future.pcapng" --format jsonl --threads $threads >"$tmp/got" 2>"$tmp/err"
  rc=$?
  frames=$(grep -o '"type":"segment","frame":[0-9]*' "$tmp/got" | sed 's/.*://' | tr '\n' ' ')
  if [ $rc -eq 0 ] && [ "$frames" = "1 2 4 5 6 7 8 9 10 " ] &&
    [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
    grep -q "future.pcapng: 1 frame(s) skipped, the first frame 3: timestamp after 2262-04-11" "$tmp/err" &&
    ! grep -q '"ts":-' "$tmp/got"; then ok; else
    fail "far-future timestamp --threads $threads: exit $rc, frames '$frames', stderr: $(cat "$tmp/err")"
  fi
done

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
