#!/usr/bin/env bash
# The same bad HOST:PORT is a usage error in every subcommand that takes one: exit 2 and one
# line on stderr naming the bad value (main maps the error once, cmd/run_command_line).
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0 passed=0
: >"$tmp/file"

# expect NAME STDERR_PATTERN -- ARGS...
expect_usage() {
  local name=$1 pattern=$2
  shift 3
  timeout 10 "$bin" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  local lines
  lines=$(wc -l <"$tmp/err")
  if [ "$rc" -ne 2 ] || ! grep -qF -e "$pattern" "$tmp/err" || [ "$lines" -ne 1 ]; then
    echo "FAIL $name: exit $rc (want 2), stderr ($lines lines):"
    sed 's/^/    /' "$tmp/err"
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
  fi
}

# Each bad value, and the part of it every message must show.
for case in 127.0.0.1:99999=99999 127.0.0.1=127.0.0.1 ::1:7=::1 not-an-ip:80=not-an-ip; do
  bad=${case%=*} shown=${case##*=}
  expect_usage "echo-client $bad" "$shown" -- echo-client "$bad" --send x
  expect_usage "udp-send $bad" "$shown" -- udp-send "$tmp/file" "$bad"
  expect_usage "reset --conn $bad" "$shown" -- reset --conn "$bad,127.0.0.1:80" -i lo --dry-run
done

echo "host_port_errors: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
