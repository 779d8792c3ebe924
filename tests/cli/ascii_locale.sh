#!/usr/bin/env bash
# In a locale that is not UTF-8 (LC_ALL=C, LANG=C, POSIX) the text, ladder, summary and
# explain formats print ASCII arrows and marks only; in a UTF-8 locale the glyphs are
# there; --ascii asks for ASCII in any locale. Every sample, every one of those formats.
set -uo pipefail
bin=$1 samples=$2
failures=0 passed=0
non_ascii() { LC_ALL=C grep -cP '[^\x00-\x7F]' || true; }
for sample in "$samples"/*.pcap; do
  name=$(basename "$sample")
  for format in text ladder summary explain; do
    for env in "LC_ALL=C" "LC_ALL=POSIX" "LANG=C" "LC_ALL=C.UTF-8 --ascii"; do
      set -- $env
      n=$(env -u LC_ALL -u LANG -u LC_CTYPE "$1" "$bin" replay "$sample" --format "$format" "${@:2}" | non_ascii)
      if [ "$n" != 0 ]; then
        echo "FAIL $name --format $format under $env: $n lines with non-ASCII bytes"
        failures=$((failures + 1))
      else
        passed=$((passed + 1))
      fi
    done
  done
done
# Under UTF-8 the marks are there (and the ASCII ones are what replaces them).
utf8=$(env LC_ALL=C.UTF-8 "$bin" replay "$samples/reset_mid.pcap")
ascii=$(env LC_ALL=C "$bin" replay "$samples/reset_mid.pcap")
check() {
  if eval "$2"; then passed=$((passed + 1)); else
    echo "FAIL $1"
    failures=$((failures + 1))
  fi
}
check "UTF-8 text has → ✓ ✗ ──" '[[ $utf8 == *"SYN_SENT→ESTABLISHED"* && $utf8 == *"✓ ack=x+1"* && $utf8 == *"✗ RST seq="* && $utf8 == *"── #1 "* ]]'
check "ASCII text has -> OK BAD --" '[[ $ascii == *"SYN_SENT->ESTABLISHED"* && $ascii == *"OK ack=x+1"* && $ascii == *"BAD RST seq="* && $ascii == *"-- #1 "* ]]'
# Only the marks differ: the same text once they are mapped back.
mapped=$(printf '%s\n' "$utf8" | sed -e 's/→/->/g; s/✓/OK/g; s/✗/BAD/g; s/──/--/g; s/…/.../g')
check "ASCII text = UTF-8 text with the marks replaced" '[ "$mapped" = "$ascii" ]'
ladder_utf8=$(env LC_ALL=C.UTF-8 "$bin" replay "$samples/reset_mid.pcap" --format ladder)
ladder_ascii=$(env LC_ALL=C "$bin" replay "$samples/reset_mid.pcap" --format ladder)
check "UTF-8 ladder has ⇄" '[[ $ladder_utf8 == *"  ⇄  server "* ]]'
# The arrows of the ladder stay aligned: every arrow line ends its arrow in the same column.
cols=$(printf '%s\n' "$ladder_ascii" | grep -E '^[0-9.]+ .*\| ' | awk '{ print index($0, "| ") }' | sort -u | wc -l)
check "ASCII ladder's arrows aligned ($cols columns)" '[ "$cols" = 1 ]'
# jsonl, html and svg are UTF-8 documents: unchanged by the locale.
for format in jsonl html svg; do
  a=$(env LC_ALL=C "$bin" replay "$samples/reset_mid.pcap" --format "$format" | md5sum)
  b=$(env LC_ALL=C.UTF-8 "$bin" replay "$samples/reset_mid.pcap" --format "$format" | md5sum)
  check "$format does not depend on the locale" '[ "$a" = "$b" ]'
done
echo "ascii_locale: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
