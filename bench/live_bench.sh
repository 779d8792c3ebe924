#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Live capture under a loopback SYN flood: `tcpinspect trace lo` against tcpdump, same load.
# Everything runs inside a network namespace made here (its own lo, so no other capture on
# this machine sees the flood), with an nftables rule in that namespace dropping the SYNs
# after the capture point so the kernel sends no RSTs (LIVE_BENCH_ANSWER=rst leaves the rule
# out: the kernel answers every SYN with RST/ACK, two frames per SYN, as a flood against a
# closed port looks on a real lo). bench/syn_flood.cpp refuses any
# destination outside 127.0.0.0/8 and stops after LIVE_BENCH_COUNT packets or
# LIVE_BENCH_SECONDS (10 at most).
#
# usage: bench/live_bench.sh [PATH/TO/tcpinspect]     (root; default binary: build-bench)
# knobs: LIVE_BENCH_COUNT (default 3000000), LIVE_BENCH_SECONDS (default 10),
#        LIVE_BENCH_RATE (packets/s, default 0 = as fast as the sender can),
#        LIVE_BENCH_SKIP (row names to leave out), LIVE_BENCH_ANSWER (drop, default, or rst),
#        LIVE_BENCH_VIA (how syn_flood sends: packet, default, or raw; see syn_flood.cpp)
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
log() { echo "live_bench: $*" >&2; }
[ "$(id -u)" = 0 ] || { log "needs root (namespaces, raw sockets, capture)"; exit 1; }
for tool in ip nft tcpdump g++ pkg-config /usr/bin/time; do
  command -v "$tool" >/dev/null || { log "missing tool: $tool"; exit 1; }
done

bin=${1:-}
if [ -z "$bin" ]; then
  build="${BENCH_BUILD:-$root/build-bench}"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTCPINSPECT_TESTS=OFF \
    >/dev/null || { log "cmake configure failed"; exit 1; }
  ninja -C "$build" tcpinspect >/dev/null || { log "build failed"; exit 1; }
  bin="$build/cmd/tcpinspect"
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

count=${LIVE_BENCH_COUNT:-3000000}
seconds=${LIVE_BENCH_SECONDS:-10}
rate=${LIVE_BENCH_RATE:-0}
skip=" ${LIVE_BENCH_SKIP:-} "
answer=${LIVE_BENCH_ANSWER:-drop}
case "$answer" in drop | rst) ;; *) log "LIVE_BENCH_ANSWER must be drop or rst"; exit 1 ;; esac
via=${LIVE_BENCH_VIA:-packet}
case "$via" in raw | packet) ;; *) log "LIVE_BENCH_VIA must be raw or packet"; exit 1 ;; esac

work=$(mktemp -d /tmp/ti-livebench-XXXXXX)
ns=ti-trace-bench-$$
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  ip netns del "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

g++ -std=c++20 -O2 -o "$work/syn_flood" "$root/bench/syn_flood.cpp" || { log "building syn_flood failed"; exit 1; }
ip netns add "$ns" || exit 1
ip -n "$ns" link set lo up
if [ "$answer" = drop ]; then
  ip netns exec "$ns" nft 'add table inet tibench; add chain inet tibench input { type filter hook input priority 0; policy accept; }; add rule inet tibench input tcp dport 9 drop' ||
    { log "nft rule failed"; exit 1; }
fi

# run NAME SHELL-COMMAND: starts the capture under GNU time in the namespace, floods, stops
# it with SIGINT, and appends one table row.
rows=()
run() {
  local name=$1 cmd=$2
  [[ "$skip" == *" $name "* ]] && return
  ip netns exec "$ns" /usr/bin/time -f '%M %U %S' -o "$work/$name.rss" bash -c "exec $cmd" \
    2>"$work/$name.err" &
  local timer=$!
  pids+=("$timer")
  local child=""
  for _ in $(seq 100); do
    child=$(pgrep -P "$timer" | head -1)
    [ -n "$child" ] && grep -q "listening on" "$work/$name.err" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "listening on" "$work/$name.err" || { log "$name did not start: $(cat "$work/$name.err")"; return; }
  sleep 0.5
  ip netns exec "$ns" "$work/syn_flood" --count "$count" --seconds "$seconds" --rate "$rate" --via "$via" \
    >"$work/$name.flood" || { log "flood failed"; return; }
  sleep 2  # let the capture drain its ring
  kill -INT "$child"
  for _ in $(seq 300); do kill -0 "$timer" 2>/dev/null || break; sleep 0.1; done
  wait "$timer" 2>/dev/null
  local sent secs captured received dropped rss user sys evicted
  read -r sent secs < <(sed -n 's/^sent \([0-9]*\) packets in \([0-9.]*\) seconds.*/\1 \2/p' "$work/$name.flood")
  captured=$(sed -n 's/^\([0-9]*\) packets captured$/\1/p' "$work/$name.err")
  received=$(sed -n 's/^\([0-9]*\) packets received by filter$/\1/p' "$work/$name.err")
  dropped=$(sed -n 's/^\([0-9]*\) packets dropped by kernel$/\1/p' "$work/$name.err")
  evicted=$(sed -n 's/^\([0-9]*\) connections evicted.*/\1/p' "$work/$name.err")
  read -r rss user sys < <(tail -1 "$work/$name.rss")
  local cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  # Frames the capture handled per CPU-second it used: what one idle core would sustain.
  local fpc=$(awk -v c="${captured:-0}" -v t="$cpu" 'BEGIN { if (t > 0) printf "%.0f", c / t; else print "-" }')
  local pps=$(awk -v s="$sent" -v t="$secs" 'BEGIN { printf "%.0f", s / t }')
  local cps=$(awk -v c="${captured:-0}" -v t="$secs" 'BEGIN { printf "%.0f", c / t }')
  local mb=$(awk -v k="${rss:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
  rows+=("| $name | \`$cmd\` | $sent | $pps | ${captured:-?} | $cps | ${dropped:-?} | ${evicted:--} | $cpu | $fpc | $mb |")
  log "$name: sent $sent in ${secs}s, captured ${captured:-?}, kernel drops ${dropped:-?}, received ${received:-?}, CPU ${cpu}s, peak RSS ${mb} MB"
}

run trace_summary "$bin trace lo --format summary --max-connections 10000 >/dev/null"
run trace_text "$bin trace lo --format text --max-connections 10000 >/dev/null"
run tcpdump_write "tcpdump -i lo -w /dev/null"
run tcpdump_print "tcpdump -nn -i lo >/dev/null"

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; flood: count $count, at most ${seconds}s, rate ${rate} (0 = max), answer $answer, via $via"
echo
echo "| row | command | SYNs sent | sent/s | captured | captured/s | dropped by kernel | connections evicted | CPU s | captured per CPU-s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
