#!/usr/bin/env bash
# One convention across subcommands (issue 11): help without CLI11 artefacts, a hint at
# what was meant for a misspelt subcommand or another tool's habit, -w replacing the file
# unless --append, durations with units.
set -uo pipefail
bin=$1 samples=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0 passed=0
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}
pass() { passed=$((passed + 1)); }

# --- help: every subcommand, through --help and `help SUBCOMMAND` -----------------------
subcommands=$("$bin" --help | awk '/^Subcommands:/ { on = 1; next } on && NF { print $1 }')
[ "$(echo "$subcommands" | wc -w)" -ge 12 ] && pass || fail "subcommands listed: $subcommands"
for sub in $subcommands; do
  for how in "$sub --help" "help $sub"; do
    # shellcheck disable=SC2086
    if ! "$bin" $how >"$tmp/help" 2>&1; then
      fail "'$how' exits non-zero"
      continue
    fi
    # The option column only (two-space indent; descriptions may say HOST:PORT).
    grep -E '^  [^ ]' "$tmp/help" | sed -E 's/ {2,}.*//' >"$tmp/left"
    if grep -nE '\{(true|false)\}|[A-Z]+:|:\{| in \[|REQUIRED|POSITIVE|NONNEGATIVE|\(=|=[^ ]' \
      "$tmp/left" >"$tmp/bad"; then
      fail "'$how' shows CLI11 artefacts:"
      sed 's/^/    /' "$tmp/bad"
    else
      pass
    fi
  done
done
"$bin" craft --help | grep -E >/dev/null '^  --no-annotate  ' && pass || fail "craft --no-annotate is listed plainly"
"$bin" craft --help | grep -E >/dev/null '^  --ttl N \(default 64\)' && pass || fail "craft --ttl N (default 64)"
"$bin" replay --help | grep -E >/dev/null '^  --format text\|ladder\|summary\|jsonl' && pass ||
  fail "replay --format lists its choices"

# --- hints: exit 2 and exactly one line --------------------------------------------------
# hint EXPECTED_STDERR -- ARGS...
hint() {
  local want=$1
  shift 2
  timeout 10 "$bin" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  if [ "$rc" -ne 2 ] || [ "$(cat "$tmp/err")" != "tcpinspect: $want" ]; then
    fail "$*: exit $rc, stderr: $(cat "$tmp/err") (want: $want)"
  else
    pass
  fi
}
hint "unknown subcommand 'replya'; did you mean 'replay'?" -- replya x.pcap
hint "unknown subcommand 'trcae'; did you mean 'trace'?" -- trcae lo
hint "replay: unknown option '--formt'; did you mean '--format'?" -- replay x.pcap --formt text
hint "replay: unknown option '--formt'; did you mean '--format'?" -- replay x.pcap --formt=text
hint "craft: unknown option '--flgs'; did you mean '--flags'?" -- craft --dst 1.2.3.4 --dport 80 --flgs S
"$bin" help craft | grep -qx 'Usage: tcpinspect craft \[OPTIONS\]' && pass ||
  fail "help craft: $("$bin" help craft | grep Usage)"
hint "unknown subcommand 'intefaces'; did you mean 'interfaces'?" -- intefaces
hint "unknown subcommand 'frobnicate' (tcpinspect --help lists them)" -- frobnicate
hint "craft takes the destination as options: did you mean --dst 127.0.0.1 --dport 80?" -- craft 127.0.0.1 80
hint "craft: did you mean --dport 80?" -- craft --dst 127.0.0.1 80
hint "echo-client takes HOST:PORT: did you mean 127.0.0.1:7007?" -- echo-client 127.0.0.1 7007
hint "echo-client takes HOST:PORT: did you mean [::1]:7007?" -- echo-client ::1 7007
hint "udp-send takes HOST:PORT: did you mean localhost:9000?" -- udp-send "$tmp/f" localhost 9000
hint "probe takes HOST PORTS: did you mean probe 127.0.0.1 80?" -- probe 127.0.0.1:80
# Not every refused line is a habit: CLI11's own message stays.
hint "--dport is required (see --help)" -- craft --dst 127.0.0.1

# --- -w replaces the file unless --append ------------------------------------------------
frames() { "$bin" replay "$1" --format jsonl | grep -c '"type":"segment"'; }
w="$tmp/w.pcap"
for i in 1 2; do "$bin" craft --dst 192.0.2.1 --dport 80 -w "$w" >/dev/null || fail "craft -w"; done
[ "$(frames "$w")" = 1 ] && pass || fail "craft -w twice: $(frames "$w") frames, want 1 (replaced)"
"$bin" craft --dst 192.0.2.1 --dport 81 -w "$w" --append >/dev/null || fail "craft --append"
[ "$(frames "$w")" = 2 ] && pass || fail "craft -w --append: $(frames "$w") frames, want 2"
cp "$samples/client_close.pcap" "$tmp/eth.pcap"
"$bin" craft --dst 192.0.2.1 --dport 80 -w "$tmp/eth.pcap" --append >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "has link type 1, not 101; cannot append" "$tmp/err" && pass ||
  fail "craft --append to an Ethernet capture: $(cat "$tmp/err")"
"$bin" craft --dst 192.0.2.1 --dport 80 -w "$tmp/eth.pcap" >/dev/null && [ "$(frames "$tmp/eth.pcap")" = 1 ] &&
  pass || fail "craft -w replaces an Ethernet capture"
# trace and demo write through the same PcapWriter; demo shows it end to end (root only:
# it captures on lo).
if [ "$(id -u)" = 0 ]; then
  d="$tmp/demo.pcap"
  timeout 30 "$bin" demo -w "$d" --format summary >/dev/null 2>&1
  one=$(frames "$d")
  timeout 30 "$bin" demo -w "$d" --append --format summary >/dev/null 2>&1
  [ "$one" -gt 0 ] && [ "$(frames "$d")" = $((2 * one)) ] && pass ||
    fail "demo -w then --append: $one then $(frames "$d") frames"
  timeout 30 "$bin" demo -w "$d" --format summary >/dev/null 2>&1
  [ "$(frames "$d")" = "$one" ] && pass || fail "demo -w replaces: $(frames "$d") frames"
fi
for sub in probe reset trace demo; do
  "$bin" "$sub" --help | grep -E >/dev/null '^  --append ' && pass || fail "$sub has no --append"
done

# --- echo-client --send: on a terminal the shell prompt gets a line of its own; into a
# pipe the echo stays byte-exact ------------------------------------------------------------
"$bin" echo-server --bind 127.0.0.1 --port 0 >"$tmp/echo.log" 2>&1 &
echo_pid=$!
for _ in $(seq 50); do grep -q '^listening on' "$tmp/echo.log" && break; sleep 0.1; done
echo_at=$(sed -n 's/^listening on //p' "$tmp/echo.log")
if [ -n "$echo_at" ]; then
  [ "$(timeout 10 "$bin" echo-client "$echo_at" --send hi | od -An -c | tr -d ' ')" = hi ] && pass ||
    fail "echo-client --send into a pipe is not exactly 'hi'"
  # script(1) runs it on a pseudo-terminal (which turns \n into \r\n).
  tty_out=$(timeout 10 script -qec "$bin echo-client $echo_at --send hi" /dev/null | od -An -c | tr -d ' ')
  [ "$tty_out" = 'hi\r\n' ] && pass || fail "echo-client --send on a terminal: '$tty_out', want 'hi\r\n'"
else
  fail "echo-server did not start: $(cat "$tmp/echo.log")"
fi
kill "$echo_pid" 2>/dev/null
wait "$echo_pid" 2>/dev/null

echo "cli_conventions: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
