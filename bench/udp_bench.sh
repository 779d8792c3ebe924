#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Goodput of `tcpinspect udp-send/udp-recv` for a 1 GiB file on loopback, side by side with
# TCP (socat) and TFTP (tftpd-hpa server, curl client at the largest block size), plus the
# UDP transfer under 5% random loss (nftables, in a private network namespace).
#
# usage: bench/udp_bench.sh [PATH/TO/tcpinspect] [RUNS]     (root for the loss part)
#        bench/udp_bench.sh --two-way-loss [PATH/TO/tcpinspect] [RUNS]     (root)
# The file is generated into bench/data/ (gitignored); outputs go to a temporary directory
# under bench/data/ (same disk) and are compared with cmp after every run.
#
# --two-way-loss (issue 12): two namespaces joined by a veth pair (MTU 1500, chunk 1456),
# a 20 MiB file, nftables loss on the receiver's input (DATA) and on the sender's input
# (ACKs): RUNS transfers (default 20) at 30% each way, counting successes; then RUNS at 0%
# and at 5% each way, comparing goodput. Every output is compared with cmp.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --two-way-loss ]; then
  shift
  exec "$ROOT/bench/udp_two_way_loss_bench.sh" "$@"
fi
BIN=${1:-$ROOT/build/cmd/tcpinspect}
RUNS=${2:-3}
DATA=$ROOT/bench/data
FILE=$DATA/udp_bench_1g.bin
SIZE=$((1024 * 1024 * 1024))
[ -x "$BIN" ] || { echo "no tcpinspect at $BIN" >&2; exit 1; }
for t in socat curl in.tftpd cmp; do command -v $t >/dev/null || { echo "missing $t" >&2; exit 1; }; done

mkdir -p "$DATA"
if [ "$(stat -c %s "$FILE" 2>/dev/null || echo 0)" != $SIZE ]; then
  head -c $SIZE /dev/urandom >"$FILE"
fi
OUT=$(mktemp -d "$DATA/udp-bench-out.XXXXXX")
NS=ti-udpbench-$$
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT

now() { date +%s.%N; }
mbps() { echo "$SIZE $1" | awk '{printf "%.1f", $1 / $2 / 1e6}'; }
check() { cmp -s "$FILE" "$1" || { echo "output $1 differs from the input" >&2; exit 1; }; rm -f "$1"; }

# run_udp [NETNS-PREFIX...]: one transfer, prints seconds (sender wall time: handshake to
# FIN_ACK, SHA-256 verified and file renamed on the receiver).
run_udp() {
  "$@" "$BIN" udp-recv --bind 127.0.0.1 --port 0 --dir "$OUT" --count 1 >"$OUT/recv.log" 2>&1 &
  local rpid=$! i port
  for i in $(seq 100); do grep -q '^listening' "$OUT/recv.log" 2>/dev/null && break; sleep 0.1; done
  port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$OUT/recv.log")
  [ -n "$port" ] || { echo "udp-recv did not start: $(cat "$OUT/recv.log")" >&2; exit 1; }
  local t0 t1
  t0=$(now)
  "$@" "$BIN" udp-send "$FILE" 127.0.0.1:"$port" >"$OUT/send.log"
  t1=$(now)
  wait $rpid
  check "$OUT/$(basename "$FILE")"
  echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}'
  echo " ($(grep -o '[0-9]* retransmissions' "$OUT/send.log"))" >&2
}

run_tcp() {
  socat -u -b 131072 TCP-LISTEN:47999,reuseaddr,bind=127.0.0.1 OPEN:"$OUT/tcp.out",creat,trunc &
  local rpid=$!
  sleep 0.3
  local t0 t1
  t0=$(now)
  socat -u -b 131072 OPEN:"$FILE" TCP:127.0.0.1:47999
  wait $rpid  # until the receiver has written and closed the file
  t1=$(now)
  check "$OUT/tcp.out"
  echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}'
}

run_tftp() {
  mkdir -p "$OUT/tftp"
  ln -f "$FILE" "$OUT/tftp/f" 2>/dev/null || cp "$FILE" "$OUT/tftp/f"
  in.tftpd -L -a 127.0.0.1:47069 -B 65464 -s "$OUT/tftp" &
  local spid=$!
  PIDS+=("$spid")
  sleep 0.3
  local t0 t1
  t0=$(now)
  curl -s --tftp-blksize 65464 -o "$OUT/tftp.out" tftp://127.0.0.1:47069/f
  t1=$(now)
  kill "$spid"
  wait "$spid" 2>/dev/null || true
  check "$OUT/tftp.out"
  echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}'
}

# tftp-hpa's own client (`tftp -m binary HOST PORT -c get`) cannot negotiate a block size:
# 512-byte blocks, and block numbers wrap after 32 MiB, so it gets a 16 MiB prefix.
run_tftp_hpa() {
  mkdir -p "$OUT/tftp"
  head -c $((16 * 1024 * 1024)) "$FILE" >"$OUT/tftp/f16"
  in.tftpd -L -a 127.0.0.1:47069 -s "$OUT/tftp" &
  local spid=$!
  PIDS+=("$spid")
  sleep 0.3
  local t0 t1
  t0=$(now)
  (cd "$OUT" && tftp -m binary 127.0.0.1 47069 -c get f16 tftp16.out)
  t1=$(now)
  kill "$spid"
  wait "$spid" 2>/dev/null || true
  cmp -s "$OUT/tftp/f16" "$OUT/tftp16.out" || { echo "tftp-hpa output differs" >&2; exit 1; }
  rm -f "$OUT/tftp16.out"
  echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}'
}

median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }


echo "file: $FILE ($SIZE bytes), $RUNS runs each, load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
T_TCP=() T_UDP=() T_TFTP=()
for i in $(seq "$RUNS"); do
  T_TCP+=("$(run_tcp)")
  T_UDP+=("$(run_udp)")
  T_TFTP+=("$(run_tftp)")
done
T_HPA=()
for i in $(seq "$RUNS"); do T_HPA+=("$(run_tftp_hpa)"); done
hpa=$(echo "${T_HPA[@]}" | median)
hpa_rate=$(echo "$hpa" | awk '{printf "%.1f", 16 * 1024 * 1024 / $1 / 1e6}')
tcp=$(echo "${T_TCP[@]}" | median)
udp=$(echo "${T_UDP[@]}" | median)
tftp=$(echo "${T_TFTP[@]}" | median)
printf '%-40s %s\n' "TCP socat -b 131072 (s):" "${T_TCP[*]}" \
  "UDP tcpinspect (s):" "${T_UDP[*]}" "TFTP tftpd-hpa + curl blksize 65464 (s):" "${T_TFTP[*]}" \
  "TFTP tftp-hpa client, 512 B, 16 MiB (s):" "${T_HPA[*]}"

if [ "$(id -u)" = 0 ]; then
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  T_NS=() T_LOSS=()
  for i in $(seq "$RUNS"); do T_NS+=("$(run_udp ip netns exec "$NS")"); done
  ip netns exec "$NS" nft add table inet ti
  ip netns exec "$NS" nft add chain inet ti in '{ type filter hook input priority 0; }'
  # 5% of the datagrams to any UDP port except the sender's ACK path (dport >= 32768 both
  # ways here, so drop only DATA-sized datagrams: longer than 1000 bytes).
  ip netns exec "$NS" nft add rule inet ti in udp length '>' 1000 numgen random mod 20 0 counter drop
  for i in $(seq "$RUNS"); do T_LOSS+=("$(run_udp ip netns exec "$NS")"); done
  ns=$(echo "${T_NS[@]}" | median)
  loss=$(echo "${T_LOSS[@]}" | median)
  printf '%-40s %s\n' "UDP in netns, no loss (s):" "${T_NS[*]}" "UDP in netns, 5% loss (s):" "${T_LOSS[*]}"
fi

echo
echo "| transfer (1 GiB, loopback) | median time | goodput |"
echo "|---|---|---|"
echo "| TCP, socat | $tcp s | $(mbps "$tcp") MB/s |"
echo "| UDP, tcpinspect udp-send | $udp s | $(mbps "$udp") MB/s |"
echo "| TFTP, tftpd-hpa + curl (blksize 65464) | $tftp s | $(mbps "$tftp") MB/s |"
echo "| TFTP, tftpd-hpa + tftp-hpa client (512-byte blocks; 16 MiB file) | $hpa s | $hpa_rate MB/s |"
if [ -n "${loss:-}" ]; then
  echo "| UDP, tcpinspect, netns, no loss | $ns s | $(mbps "$ns") MB/s |"
  echo "| UDP, tcpinspect, netns, 5% loss | $loss s | $(mbps "$loss") MB/s |"
fi
echo
awk -v u="$udp" -v t="$tcp" -v f="$tftp" -v h="$hpa_rate" -v s=$SIZE 'BEGIN {
  printf "UDP/TCP = %.2f (target >= 0.5); UDP/TFTP = %.1f with blksize 65464, %.1f against tftp-hpa 512-byte blocks (target >= 10)\n", t / u, f / u, s / u / 1e6 / h }'
[ -n "${loss:-}" ] && awk -v l="$loss" -v n="$ns" 'BEGIN {printf "5%% loss / no loss = %.2f (target >= 0.5)\n", n / l}'
exit 0
