#!/usr/bin/env bash
# Installs everything tcpinspect needs to build and test on Debian 12 (run as root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
# Node.js for the browser tests: Debian's nodejs and npm, unless the machine already has a
# node with its own npm (a NodeSource nodejs bundles npm and conflicts with Debian's).
node_packages=()
command -v node >/dev/null || node_packages+=(nodejs)
command -v npm >/dev/null || node_packages+=(npm)
apt-get install -y -qq --no-install-recommends \
  ca-certificates cmake ninja-build g++ clang libclang-rt-14-dev pkg-config ccache \
  libtins-dev libpcap-dev libssl-dev libcli11-dev libgtest-dev zlib1g-dev liblzma-dev libzstd-dev \
  libtracefs-dev libtraceevent-dev \
  tshark tcpdump tcptrace nftables iproute2 procps python3 socat ncat \
  tftpd-hpa tftp-hpa time bsdutils gzip xz-utils zstd \
  dpkg-dev man-db groff-base bsdextrautils zsh util-linux \
  libxml2-utils chromium "${node_packages[@]}" >/dev/null
# The html report's browser tests: puppeteer-core (pinned by package-lock.json) drives
# Debian's chromium; it never downloads a browser of its own.
PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix "$(dirname "$0")/../tests/browser" --no-audit \
  --no-fund --loglevel=error
# DuckDB for the sharded-jsonl test (tests/duckdb, docs/scale.md): @duckdb/node-api,
# pinned by package-lock.json (its native binding comes as an npm package, no build).
npm ci --prefix "$(dirname "$0")/../tests/duckdb" --no-audit --no-fund --loglevel=error
