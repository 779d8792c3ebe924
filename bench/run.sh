#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmarks `tcpinspect replay` against tshark, tcptrace, tcpdump and a bare libpcap loop,
# all on the same generated capture, in one run. See bench/README.md for the method.
#
# Usage: bench/run.sh
# Environment:
#   BENCH_BUILD    build directory (default: build-bench), configured as Release
#   BENCH_FILE     capture to use (default: bench/data/bench.pcap, generated if missing)
#   BENCH_PACKETS  packets to generate when the file is missing (default: 2000000)
#   BENCH_REPEAT   runs per tool; the fastest run is reported (default: 1)
#   BENCH_SKIP     space-separated row names to skip (e.g. "tcptrace tshark_conv")
#   BENCH_BASIS    wall (default) or cpu: what packets/s and the ratios are computed from.
#                  cpu (user+sys seconds) is the fairer basis on a loaded machine.
# Each tool's row is measured independently: one failing tool (or tcpinspect not built yet)
# does not stop the others. The table is printed and also written to bench/data/results.md.
set -uo pipefail

# Everything is inside main() so that bash parses the whole script before running it: editing
# the file while a (long) run is going cannot derail that run.
main() {
  root="$(cd "$(dirname "$0")/.." && pwd)"
  build="${BENCH_BUILD:-$root/build-bench}"
  data="$root/bench/data"
  file="${BENCH_FILE:-$data/bench.pcap}"
  packets="${BENCH_PACKETS:-2000000}"
  repeat="${BENCH_REPEAT:-1}"
  skip=" ${BENCH_SKIP:-} "
  basis="${BENCH_BASIS:-wall}"
  mkdir -p "$data"

  log() { echo "bench: $*" >&2; }

  # --- build ------------------------------------------------------------------------------
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTCPINSPECT_TESTS=OFF \
    >/dev/null || { log "cmake configure failed"; exit 1; }
  ninja -C "$build" gen_bench_capture >/dev/null || { log "building gen_bench_capture failed"; exit 1; }
  tcpinspect="$build/cmd/tcpinspect"
  if ! ninja -C "$build" tcpinspect >/dev/null; then
    log "building tcpinspect failed: its rows will be reported as failed"
  fi
  baseline="$build/bench/pcap_baseline"
  mkdir -p "$build/bench"
  g++ -std=c++20 -O2 -o "$baseline" "$root/bench/pcap_baseline.cpp" $(pkg-config --cflags --libs libpcap) ||
    { log "building pcap_baseline failed"; exit 1; }

  for tool in tshark tcptrace tcpdump capinfos; do
    command -v "$tool" >/dev/null || log "$tool not found (Debian: apt-get install -y ${tool/capinfos/tshark}): its row will fail"
  done

  # --- data -------------------------------------------------------------------------------
  if [[ ! -s "$file" ]]; then
    log "generating $file ($packets packets)"
    "$build/tools/gen_bench_capture" "$file" --packets "$packets" || { log "generation failed"; exit 1; }
  fi
  load="$(cut -d' ' -f1 /proc/loadavg)"
  log "warming the page cache"
  cat "$file" >/dev/null

  # --- measure ----------------------------------------------------------------------------
  # measure NAME CMD...: runs CMD with stdout to /dev/null (the baseline's to a file, to learn
  # the packet count) under /usr/bin/time; keeps the fastest of BENCH_REPEAT runs.
  declare -A secs cpu rss status
  names=()
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  measure() {
    local name="$1"
    shift
    names+=("$name")
    if [[ "$skip" == *" $name "* ]]; then
      status[$name]="skipped"
      return
    fi
    local best="" best_cpu="" best_rss="" rc=0
    for ((i = 0; i < repeat; i++)); do
      local out=/dev/null
      [[ "$name" == "pcap_baseline" ]] && out="$tmp/baseline.out"
      /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >"$out" 2>"$tmp/stderr"
      rc=$?
      if ((rc != 0)); then
        status[$name]="failed (exit $rc): $(grep -v '^Command exited' "$tmp/stderr" | head -1)"
        log "$name: ${status[$name]}"
        return
      fi
      read -r s m u k <"$tmp/time"
      if [[ -z "$best" ]] || awk "BEGIN{exit !($s < $best)}"; then best="$s"; fi
      c="$(awk -v u="$u" -v k="$k" 'BEGIN{printf "%.2f", u + k}')"
      if [[ -z "$best_cpu" ]] || awk "BEGIN{exit !($c < $best_cpu)}"; then best_cpu="$c"; fi
      if [[ -z "$best_rss" ]] || ((m > best_rss)); then best_rss="$m"; fi
    done
    secs[$name]="$best"
    cpu[$name]="$best_cpu"
    rss[$name]="$best_rss"
    status[$name]="ok"
    log "$name: ${best}s wall, ${best_cpu}s cpu, ${best_rss} KB"
  }

  measure pcap_baseline "$baseline" "$file"
  measure tcpinspect_summary "$tcpinspect" replay "$file" --format summary
  measure tcpinspect_jsonl "$tcpinspect" replay "$file" --format jsonl
  measure tcpinspect_text "$tcpinspect" replay "$file" --format text
  # The report keeps each tracked connection's records until it ends: its memory is a target.
  measure tcpinspect_html "$tcpinspect" replay "$file" --format html
  # The same work on one thread: what a busy machine, or one with a single CPU, gets.
  measure tcpinspect_summary_1t "$tcpinspect" replay "$file" --format summary --threads 1
  measure tcpinspect_text_1t "$tcpinspect" replay "$file" --format text --threads 1
  measure tshark_conv tshark -n -q -r "$file" -z conv,tcp
  measure tshark_fields tshark -n -r "$file" -T fields -e tcp.seq -e tcp.ack -e tcp.analysis.flags
  measure tcptrace tcptrace -n -l "$file"
  measure tcpdump tcpdump -nn -r "$file"

  # --- report -----------------------------------------------------------------------------
  frames=""
  if [[ -s "$tmp/baseline.out" ]]; then frames="$(awk '{print $2}' "$tmp/baseline.out")"; fi
  if [[ -z "$frames" ]]; then frames="$(capinfos -c -M "$file" | awk -F': *' '/Number of packets/{print $2}')"; fi

  # basis NAME: the seconds packets/s and ratios are computed from.
  basis_secs() { if [[ "$basis" == cpu ]]; then echo "${cpu[$1]:-}"; else echo "${secs[$1]:-}"; fi; }
  ratio() {  # ratio REF NAME: how many times faster NAME is than REF
    local ref t
    ref="$(basis_secs "$1")"
    t="$(basis_secs "$2")"
    if [[ -z "$ref" || -z "$t" ]]; then echo "-"; return; fi
    awk -v r="$ref" -v t="$t" 'BEGIN{ if (t <= 0) print "-"; else printf "%.2fx", r / t }'
  }

  report="$data/results.md"
  {
    echo "Capture: $(basename "$file"), $frames packets, $(du -m "$file" | cut -f1) MB;" \
      "$(nproc) CPUs; $(date -u +%Y-%m-%d); load average before the run: $load;" \
      "best of $repeat run(s), page cache warm; packets/s and ratios from $basis seconds."
    echo
    echo "| tool | command | seconds | CPU s | packets/s | vs tshark fields | vs tcpdump | vs baseline | peak RSS MB |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    declare -A cmd=(
      [pcap_baseline]="bench/pcap_baseline FILE"
      [tcpinspect_summary]="tcpinspect replay FILE --format summary"
      [tcpinspect_jsonl]="tcpinspect replay FILE --format jsonl"
      [tcpinspect_text]="tcpinspect replay FILE --format text"
      [tcpinspect_html]="tcpinspect replay FILE --format html"
      [tcpinspect_summary_1t]="tcpinspect replay FILE --format summary --threads 1"
      [tcpinspect_text_1t]="tcpinspect replay FILE --format text --threads 1"
      [tshark_conv]="tshark -n -q -r FILE -z conv,tcp"
      [tshark_fields]="tshark -n -r FILE -T fields -e tcp.seq -e tcp.ack -e tcp.analysis.flags"
      [tcptrace]="tcptrace -n -l FILE"
      [tcpdump]="tcpdump -nn -r FILE"
    )
    for n in "${names[@]}"; do
      if [[ "${status[$n]}" != "ok" ]]; then
        echo "| $n | \`${cmd[$n]}\` | ${status[$n]} | | | | | | |"
        continue
      fi
      pps="$(awk -v f="$frames" -v t="$(basis_secs "$n")" 'BEGIN{ if (t > 0) printf "%.0f", f / t; else print "-" }')"
      mb="$(awk -v k="${rss[$n]}" 'BEGIN{ printf "%.1f", k / 1024 }')"
      echo "| $n | \`${cmd[$n]}\` | ${secs[$n]} | ${cpu[$n]} | $pps | $(ratio tshark_fields "$n") | $(ratio tcpdump "$n") | $(ratio pcap_baseline "$n") | $mb |"
    done
    echo
    echo "Targets:"
    target() {  # target LABEL NAME REF MIN_RATIO
      local r other
      r="$(ratio "$3" "$2")"
      if [[ "$r" == "-" ]]; then echo "- $1: not measured"; return; fi
      # The other basis too, so a reader sees both: wall-clock (what the user waits for,
      # tcpinspect using two threads) and CPU seconds (the work done, all threads summed).
      other="$(if [[ "$basis" == cpu ]]; then basis=wall; else basis=cpu; fi; ratio "$3" "$2")"
      if awk -v r="${r%x}" -v m="$4" 'BEGIN{exit !(r >= m)}'; then
        echo "- $1: PASS ($r; from $( [[ "$basis" == cpu ]] && echo wall || echo CPU) seconds: $other)"
      else
        echo "- $1: FAIL ($r; from $( [[ "$basis" == cpu ]] && echo wall || echo CPU) seconds: $other)"
      fi
    }
    # Issue 16's targets.
    target "summary >= 0.8x bare libpcap loop" tcpinspect_summary pcap_baseline 0.8
    target "summary, one thread, >= 0.5x bare libpcap loop" tcpinspect_summary_1t pcap_baseline 0.5
    target "jsonl >= 40x tshark per-packet fields" tcpinspect_jsonl tshark_fields 40
    target "text >= 9x tcpdump decode+print" tcpinspect_text tcpdump 9
    for n in tcpinspect_summary tcpinspect_jsonl tcpinspect_text; do
      if [[ "${status[$n]}" == "ok" ]]; then
        if ((rss[$n] <= 100 * 1024)); then verdict=PASS; else verdict=FAIL; fi
        echo "- $n peak RSS <= 100 MB: $verdict ($(awk -v k="${rss[$n]}" 'BEGIN{printf "%.1f", k/1024}') MB)"
      else
        echo "- $n peak RSS <= 100 MB: not measured"
      fi
    done
    if [[ "${status[tcpinspect_html]}" == "ok" && "${status[tcpinspect_jsonl]}" == "ok" ]]; then
      if ((rss[tcpinspect_html] <= 2 * rss[tcpinspect_jsonl])); then verdict=PASS; else verdict=FAIL; fi
      echo "- tcpinspect_html peak RSS <= 2x jsonl's: $verdict ($(awk -v h="${rss[tcpinspect_html]}" -v j="${rss[tcpinspect_jsonl]}" 'BEGIN{printf "%.2fx", h/j}'))"
    fi
  } | tee "$report"
  log "table written to $report"
}

main "$@"; exit $?
