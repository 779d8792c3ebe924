#!/usr/bin/env bash
# Golden test: replays one sample in one format and compares with tests/golden/NAME.FORMAT
# (FORMAT explain-zh: --format explain --lang zh).
# Arguments after the first four go to replay (e.g. --threads 1: the output must not depend
# on them). With TCPINSPECT_UPDATE_GOLDENS=1 it rewrites the golden file instead (only when
# a change of output is intended; say so in the commit).
set -euo pipefail
# The goldens hold the UTF-8 arrows and marks; in another locale the text formats print
# ASCII ones (tests/cli/ascii_locale.sh), so the locale is pinned here, not left to CI.
export LC_ALL=C.UTF-8
bin=$1 sample=$2 format=$3 golden_dir=$4
shift 4
name=$(basename "$sample" .pcap)
golden="$golden_dir/$name.$format"
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
rc=0
case $format in
  explain-zh) format_args=(--format explain --lang zh) ;;
  *) format_args=(--format "$format") ;;
esac
"$bin" replay "$sample" "${format_args[@]}" --color never "$@" >"$actual" 2>&1 || rc=$?
echo "exit=$rc" >>"$actual"
if [ "${TCPINSPECT_UPDATE_GOLDENS:-0}" = 1 ]; then
  cp "$actual" "$golden"
  echo "updated $golden"
  exit 0
fi
if [ ! -f "$golden" ]; then
  echo "missing golden file $golden (run scripts/update_goldens.sh)" >&2
  exit 1
fi
diff -u "$golden" "$actual"
