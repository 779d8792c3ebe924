#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks that samples/ is exactly what tools/make_samples writes today: a change to the
# generator must come with regenerated samples (scripts/make_samples.sh), and the generator
# must stay deterministic.
# Usage: reproducible.sh MAKE_SAMPLES_BINARY SAMPLES_DIR
set -euo pipefail
gen="$1"
samples="$2"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$gen" "$out"
status=0
while IFS= read -r f; do
  rel="${f#"$out"/}"
  if [[ ! -f "$samples/$rel" ]]; then
    echo "samples/$rel: generated but not committed"
    status=1
  elif ! cmp -s "$f" "$samples/$rel"; then
    echo "samples/$rel: differs from what make_samples writes (run scripts/make_samples.sh)"
    status=1
  fi
done < <(find "$out" -type f | sort)
while IFS= read -r f; do
  rel="${f#"$samples"/}"
  [[ -f "$out/$rel" ]] || { echo "samples/$rel: committed but no longer generated"; status=1; }
done < <(find "$samples" -type f -name '*.pcap' | sort)
exit $status
