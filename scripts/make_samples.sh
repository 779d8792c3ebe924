#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Rebuilds tools/make_samples and regenerates samples/ (see samples/README.md).
# The output is deterministic: rerunning it must leave `git status samples/` clean.
# Usage: scripts/make_samples.sh [BUILD_DIR]   (default: build-samples)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-samples}"
cmake -S "$root" -B "$build" -G Ninja >/dev/null
ninja -C "$build" make_samples
"$build/tools/make_samples" "$root/samples"
echo "samples written to $root/samples:"
ls -l "$root/samples" "$root/samples/bad"
