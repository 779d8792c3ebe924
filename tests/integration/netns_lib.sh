# SPDX-License-Identifier: MIT
# What the namespace tests share (sourced): the root check, one-line failures, cleanup of
# the namespaces and every process in them, and waiting for a line in a file.
#
#   . "$(dirname "$0")/netns_lib.sh"
#   netns_require_root "network namespaces, raw sockets" ip nft python3
#   NETNS_NAMES=("$NS_A" "$NS_B"); NETNS_WORK=$WORK; trap netns_cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Exits 77 (skip) when not root; fails when a tool is missing.
netns_require_root() {  # what-for, tools...
  if [ "$(id -u)" != 0 ]; then
    echo "SKIP: needs root ($1)"
    exit 77
  fi
  shift
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || fail "missing tool: $tool"
  done
}

NETNS_NAMES=()
NETNS_WORK=
# Everything still running inside the namespaces (a program started through a shell
# function runs as the child of a subshell: killing $! alone would leave it), then the
# namespaces and the work directory.
netns_cleanup() {
  local ns p
  for ns in "${NETNS_NAMES[@]}"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null; done
  done
  sleep 0.2
  for ns in "${NETNS_NAMES[@]}"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  [ -n "$NETNS_WORK" ] && rm -rf "$NETNS_WORK"
}

# Waits up to 10 s for a line matching the pattern (any line when it is empty).
wait_for() {  # file, pattern
  local _
  for _ in $(seq 100); do
    if [ -z "${2:-}" ]; then
      [ -s "$1" ] && return 0
    else
      grep -q -- "$2" "$1" 2>/dev/null && return 0
    fi
    sleep 0.1
  done
  fail "timed out waiting for '${2:-a line}' in $1: $(cat "$1" 2>/dev/null)"
}

expect_line() {  # file, extended regex, what
  grep -Eq -- "$2" "$1" || fail "$3: no line matching /$2/ in:
$(cat "$1")"
}
