#!/usr/bin/env bash
# Regenerates every golden output in tests/golden/ from samples/: every format the golden
# loop in tests/CMakeLists.txt lists (text, ladder, summary, jsonl, explain, explain-zh, zeek, csv; svg
# for client_close). Only for intended output
# changes: review `git diff tests/golden` and say why in the commit.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake --build "$build" --target tcpinspect
# Only the default runs write; the --threads 1 runs (golden_one_thread.*) must then agree.
TCPINSPECT_UPDATE_GOLDENS=1 ctest --test-dir "$build" -R "^golden\\." --output-on-failure
