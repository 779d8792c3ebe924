#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for N seconds (default 60),
# seeded with the samples. A crash fails the script and leaves the input in fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
seconds=${1:-60}
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DTCPINSPECT_FUZZ=ON -DTCPINSPECT_TESTS=OFF >/dev/null
targets="fuzz_decode fuzz_replay fuzz_replay_file fuzz_chunked_pcap"
cmake --build build-fuzz --target $targets
for target in $targets; do
  corpus=build-fuzz/corpus-$target
  mkdir -p "$corpus"
  if [ "$target" = fuzz_replay_file ]; then
    # Seeds: whole files behind a mode byte (2: as is, one thread; 3: as is, two threads;
    # 0x23: as is, two threads, merged with itself), each sample as pcap and as pcapng,
    # plain and compressed.
    for f in samples/*.pcap; do
      name=$(basename "$f" .pcap)
      python3 tests/cli/pcap_to_pcapng.py "$f" "$corpus/ng.tmp"
      { printf '\002'; cat "$f"; } >"$corpus/seed-$name.pcap"
      { printf '\003'; cat "$corpus/ng.tmp"; } >"$corpus/seed-$name.pcapng"
      # Compressed (the decompressing stream), and merged with itself (mode bit 5).
      { printf '\002'; gzip -c "$f"; } >"$corpus/seed-$name.pcap.gz"
      { printf '\003'; xz -c "$corpus/ng.tmp"; } >"$corpus/seed-$name.pcapng.xz"
      { printf '\002'; zstd -qc "$f"; } >"$corpus/seed-$name.pcap.zst"
      { printf '\043'; cat "$f"; } >"$corpus/seed-$name.merged.pcap"
    done
    rm -f "$corpus/ng.tmp"
  elif [ "$target" = fuzz_chunked_pcap ]; then
    # Seeds: each sample whole behind a mode byte (chunk size 17 + 5, and the same holding).
    for f in samples/*.pcap; do
      { printf '\005'; cat "$f"; } >"$corpus/seed-$(basename "$f")"
      { printf '\205'; cat "$f"; } >"$corpus/seed-hold-$(basename "$f")"
    done
  else
    # Seeds: each sample's bytes after its 24-byte pcap header, behind a link-type byte.
    for f in samples/*.pcap; do
      { printf '\001'; tail -c +25 "$f"; } >"$corpus/seed-$(basename "$f")"
    done
  fi
  echo "fuzzing $target for ${seconds}s"
  "build-fuzz/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix=fuzz/ "$corpus" 2>&1 | tail -12
done
