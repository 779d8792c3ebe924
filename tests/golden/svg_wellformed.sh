#!/usr/bin/env bash
# Every sample's --format svg (each connection, by --conn) is well-formed XML.
set -euo pipefail
bin=$1 xmllint=$2 samples=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
checked=0
for sample in "$samples"/*.pcap; do
  # Connection records of jsonl: the summary's rows would also count its closing line.
  conns=$("$bin" replay "$sample" --format jsonl | grep -c '"type":"connection"' || true)
  for ((n = 1; n <= conns; n++)); do
    "$bin" replay "$sample" --format svg --conn "$n" -o "$out"
    if ! "$xmllint" --noout "$out"; then
      echo "not well-formed: $sample --conn $n" >&2
      exit 1
    fi
    checked=$((checked + 1))
  done
done
# Every sample has at least one connection except the malformed ones: a floor, not a count.
if [ "$checked" -lt 20 ]; then
  echo "only $checked pictures checked" >&2
  exit 1
fi
echo "$checked svg pictures well-formed"
