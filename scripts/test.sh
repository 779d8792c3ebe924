#!/usr/bin/env bash
# Builds tcpinspect and runs every test (unit, golden, cross-checks, CLI, and — as root —
# the integration tests in network namespaces).
#   scripts/test.sh              build/ : RelWithDebInfo
#   scripts/test.sh --sanitize   build-asan/ : AddressSanitizer + UndefinedBehaviorSanitizer
#   scripts/test.sh --tsan       build-tsan/ : ThreadSanitizer, only the tests that run
#                                replay's two threads (DecodingReader, every golden)
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache (when installed) shares objects between checkouts in different directories.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
build=build
flags=()
if [ "${1:-}" = --sanitize ]; then
  build=build-asan
  flags=(-DTCPINSPECT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
tests=()
if [ "${1:-}" = --tsan ]; then
  build=build-tsan
  flags=(-DTCPINSPECT_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
  export TSAN_OPTIONS=halt_on_error=1:abort_on_error=1
  tests=(-R "DecodingReader|^golden")
fi
cmake -S . -B "$build" -G Ninja "${flags[@]}" >/dev/null
if [ "$build" = build-tsan ]; then
  cmake --build "$build" --target tcpinspect capture_tests
else
  cmake --build "$build"
fi
ctest --test-dir "$build" --output-on-failure -j2 --timeout 600 "${tests[@]}"
