#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for N seconds (default 60),
# seeded with the samples. A crash fails the script and leaves the input in fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
seconds=${1:-60}
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DTCPINSPECT_FUZZ=ON -DTCPINSPECT_TESTS=OFF >/dev/null
cmake --build build-fuzz --target fuzz_decode fuzz_replay
for target in fuzz_decode fuzz_replay; do
  corpus=build-fuzz/corpus-$target
  mkdir -p "$corpus"
  # Seeds: each sample's bytes after its 24-byte pcap header, behind a link-type byte.
  for f in samples/*.pcap; do
    { printf '\001'; tail -c +25 "$f"; } >"$corpus/seed-$(basename "$f")"
  done
  echo "fuzzing $target for ${seconds}s"
  "build-fuzz/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix=fuzz/ "$corpus" 2>&1 | tail -12
done
