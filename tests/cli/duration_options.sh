#!/usr/bin/env bash
# Issue 11: every duration option of every subcommand reads the same text: a unit (500ms,
# 2s, 1.5m) or a bare number of SECONDS. For each option: "500ms" and "0.5" both parse, a
# bad unit exits 2 with one line naming the option; where the effect shows without privilege
# (probe's plan line, replay's TIME_WAIT, help's defaults) the two spellings agree.
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

# The command lines each option is tried in: nothing here sends a packet (--dry-run, no
# --send, loopback addresses with closed ports), and servers are stopped by timeout(1).
# OPTION|ARGS (the option's value is appended after ARGS' OPTION).
cases=(
  "--timeout|probe 127.0.0.1 9 --dry-run --src 127.0.0.1 -i lo"
  "--reply|craft --src 127.0.0.1 --dst 127.0.0.1 --dport 9 --dry-run"
  "--interval|craft --src 127.0.0.1 --dst 127.0.0.1 --dport 9 --dry-run"
  "--wait|reset --conn 127.0.0.1:1,127.0.0.1:2 -i lo --dry-run"
  "--observe|reset --conn 127.0.0.1:1,127.0.0.1:2 -i lo --dry-run --wait 10ms"
  "--msl|replay $samples/port_reuse.pcap --format summary"
  "--idle-timeout|replay $samples/port_reuse.pcap --format summary"
  "--duration|trace -i lo --format summary"
  "--rotate-seconds|trace -i lo -w $tmp/rot-%s.pcap --duration 10ms"
  "--idle-timeout|echo-server --bind 127.0.0.1 --port 0"
  "--shutdown-timeout|echo-server --bind 127.0.0.1 --port 0"
  "--timeout|echo-client 127.0.0.1:9 --send x"
  "--duration|echo-client 127.0.0.1:9 --connections 1"
  "--hold|echo-client 127.0.0.1:9 --connections 1"
  "--min-rto|udp-send /dev/null 127.0.0.1:9 --timeout 100ms"
  "--timeout|udp-send /dev/null 127.0.0.1:9"
  "--idle-timeout|udp-recv --bind 127.0.0.1 --port 0 --dir $tmp"
)

# run OPTION VALUE ARGS...: exit code in $rc, stderr in $tmp/err.
run() {
  local option=$1 value=$2
  shift 2
  # shellcheck disable=SC2086
  timeout 2 "$bin" $* "$option" "$value" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
}

for c in "${cases[@]}"; do
  option=${c%%|*} args=${c#*|}
  sub=${args%% *}
  for value in 500ms 0.5; do
    run "$option" "$value" "$args"
    # Accepted: whatever the command then does (run, refuse a closed port, want privilege),
    # its complaint is not about this option's value.
    if grep -qF -- "$option '$value'" "$tmp/err"; then
      fail "$sub $option $value refused: $(cat "$tmp/err")"
    else
      pass
    fi
  done
  for bad in 5x -1 ""; do
    run "$option" "$bad" "$args"
    lines=$(wc -l <"$tmp/err")
    if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -qF -- "$option" "$tmp/err"; then
      fail "$sub $option '$bad': exit $rc, $lines lines: $(cat "$tmp/err")"
    else
      pass
    fi
  done
done

# The exact line for an unknown unit and for an out-of-range value.
"$bin" probe 127.0.0.1 9 --dry-run --src 127.0.0.1 -i lo --timeout 5x >/dev/null 2>"$tmp/err"
want="tcpinspect: --timeout '5x': unknown unit 'x' (ns, us, ms, s, m or h) (see --help)"
[ "$(cat "$tmp/err")" = "$want" ] && pass || fail "probe --timeout 5x: $(cat "$tmp/err")"
"$bin" udp-send /dev/null 127.0.0.1:9 --min-rto 2m >/dev/null 2>"$tmp/err"
want="tcpinspect: --min-rto '2m': longer than 1m (see --help)"
[ "$(cat "$tmp/err")" = "$want" ] && pass || fail "udp-send --min-rto 2m: $(cat "$tmp/err")"

# --- the same effect from both spellings --------------------------------------------------
# probe's plan line names the timeout: 0.5 is half a second, as 500ms (it once meant 0.5 ms).
for value in 500ms 0.5 0.5s 500000us; do
  "$bin" probe 127.0.0.1 9 --dry-run --src 127.0.0.1 -i lo --timeout "$value" >"$tmp/out" 2>&1
  grep -qE '^probe syn 127\.0\.0\.1: .*, timeout 500ms( |$)' "$tmp/out" && pass ||
    fail "probe --timeout $value: $(head -1 "$tmp/out")"
done

# port_reuse.pcap: the server's TIME_WAIT, then 3 s later a new SYN on the same four-tuple.
# TIME_WAIT lasts 2*MSL: with --msl 2 (4 s) the SYN still meets it, with --msl 1 (2 s) not.
for msl in 1 1s 1000ms 2 2s 2000ms 2ms; do
  "$bin" replay "$samples/port_reuse.pcap" --format jsonl --msl "$msl" >"$tmp/msl-$msl" 2>&1
done
for pair in "1 1s" "1 1000ms" "2 2s" "2 2000ms"; do
  set -- $pair
  cmp -s "$tmp/msl-$1" "$tmp/msl-$2" && pass || fail "replay --msl $1 and --msl $2 differ"
done
cmp -s "$tmp/msl-1" "$tmp/msl-2" && fail "replay --msl 1 and --msl 2 agree: MSL not observed" || pass
# A bare 2 is two seconds, not 2 ms (2 ms of TIME_WAIT has expired by the new SYN).
cmp -s "$tmp/msl-2ms" "$tmp/msl-2" && fail "replay --msl 2ms and --msl 2 agree" || pass

# Help shows each default with its unit.
expect_help() {
  "$bin" $1 --help | grep -E -- "^  $2 DURATION \(default $3\)" >/dev/null && pass ||
    fail "$1 --help: $2 DURATION (default $3)"
}
expect_help probe --timeout 1s
expect_help craft "-i,--interval" 1s
expect_help reset --wait 30s
expect_help reset --observe 1s
expect_help replay --msl 30s
expect_help replay --idle-timeout 1h
expect_help udp-send --min-rto 20ms
expect_help udp-send --timeout 10s
expect_help udp-recv --idle-timeout 10s
expect_help echo-server --shutdown-timeout 5s
expect_help echo-client --timeout 5s
expect_help echo-client --duration 1m

echo "duration_options: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
