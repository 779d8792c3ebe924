#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Did a change make replay slower or fatter? Builds tcpinspect as Release at an older
# revision (in a git worktree) and at the working tree, then times both on the same capture
# in one run, alternating the binaries so that machine load hits them alike, and prints a
# markdown table with the ratios.
#
#   bench/compare_revisions.sh OLD_REV [FORMAT ...]      (default formats: summary jsonl text)
#
# Knobs (environment): BENCH_FILE (default bench/data/bench.pcap, generated as bench/run.sh
# does; run that once first), BENCH_REPEAT (runs per binary and format, fastest kept; default 3),
# COMPARE_DIR (where the old worktree and both builds go; default bench/data/compare).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
old_rev=${1:?usage: bench/compare_revisions.sh OLD_REV [FORMAT ...]}
shift
formats=("$@")
[ ${#formats[@]} -gt 0 ] || formats=(summary jsonl text)
file=${BENCH_FILE:-$root/bench/data/bench.pcap}
repeat=${BENCH_REPEAT:-3}
work=${COMPARE_DIR:-$root/bench/data/compare}
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1

log() { echo "compare_revisions: $*" >&2; }

build_release() {  # SOURCE_DIR BUILD_DIR
  cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTCPINSPECT_TESTS=OFF >/dev/null
  ninja -C "$2" tcpinspect >/dev/null
}

mkdir -p "$work"
old_src="$work/src-old"
old_sha=$(git -C "$root" rev-parse --short "$old_rev")
if [ -d "$old_src" ]; then
  git -C "$old_src" checkout -q --detach "$old_sha"
else
  git -C "$root" worktree add -q --detach "$old_src" "$old_sha"
fi
log "building $old_sha and the working tree (Release)"
build_release "$old_src" "$work/build-old"
build_release "$root" "$work/build-new"
if [ ! -f "$file" ]; then
  log "no capture at $file: run bench/run.sh once (it generates it)"
  exit 1
fi
new_sha="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo +)"

cat "$file" >/dev/null  # warm page cache for both
# best_of BIN FORMAT -> "wall cpu rss_kb" of the fastest run (largest RSS)
best_of() {
  local best_wall="" best_cpu="" rss=0 i out wall kb user sys
  for ((i = 0; i < repeat; i++)); do
    out=$(/usr/bin/time -f '%e %M %U %S' "$1" replay "$file" --format "$2" 2>&1 >/dev/null |
      tail -1)
    read -r wall kb user sys <<<"$out"
    if [ -z "$best_wall" ] || awk "BEGIN{exit !($wall < $best_wall)}"; then
      best_wall=$wall
      best_cpu=$(awk "BEGIN{print $user + $sys}")
    fi
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  echo "$best_wall $best_cpu $rss"
}

frames=$("$work/build-new/cmd/tcpinspect" replay "$file" --format summary 2>/dev/null |
  grep -o 'in [0-9]* frames' | awk '{print $2}')
echo "Capture: $(basename "$file"), ${frames:-?} frames; $(nproc) CPUs; $(date -u +%F);" \
  "load average before: $(cut -d' ' -f1 /proc/loadavg); best of $repeat, binaries alternated."
echo
echo "| format | $old_sha s | $new_sha s | $old_sha CPU s | $new_sha CPU s | new/old wall | new/old CPU | $old_sha RSS MB | $new_sha RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for f in "${formats[@]}"; do
  read -r ow oc orss <<<"$(best_of "$work/build-old/cmd/tcpinspect" "$f")"
  read -r nw nc nrss <<<"$(best_of "$work/build-new/cmd/tcpinspect" "$f")"
  awk -v f="$f" -v ow="$ow" -v nw="$nw" -v oc="$oc" -v nc="$nc" -v orss="$orss" -v nrss="$nrss" \
    'BEGIN{printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2fx | %.2fx | %.1f | %.1f |\n",
      f, ow, nw, oc, nc, nw/ow, nc/oc, orss/1024, nrss/1024}'
done
