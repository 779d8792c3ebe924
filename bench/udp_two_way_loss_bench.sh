#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `bench/udp_bench.sh --two-way-loss [PATH/TO/tcpinspect] [RUNS]`: udp-send/udp-recv under
# random loss in both directions (issue 12). Two namespaces joined by a veth pair; nftables
# drops DATA on the receiver's input and ACKs on the sender's input. 20 MiB per transfer,
# RUNS (20) at 30% each way with the number that succeeded, then RUNS at 0% and at 5% each
# way. Goodput = 20 MiB / sender wall time (handshake to FIN_ACK). Needs root.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/build/cmd/tcpinspect}
RUNS=${2:-20}
[ -x "$BIN" ] || { echo "no tcpinspect at $BIN" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces, nftables)" >&2; exit 1; }
SIZE=$((20 * 1024 * 1024))
ID=$$
NS_S=ti-udpb2-$ID-s NS_R=ti-udpb2-$ID-r VS=tiub${ID}s VR=tiub${ID}r
IP_S=10.202.77.1 IP_R=10.202.77.2
mkdir -p "$ROOT/bench/data"
WORK=$(mktemp -d "$ROOT/bench/data/udp-2way.XXXXXX")
RPID=""
cleanup() {
  [ -n "$RPID" ] && kill "$RPID" 2>/dev/null
  ip netns del "$NS_S" 2>/dev/null
  ip netns del "$NS_R" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS_S" && ip netns add "$NS_R" || exit 1
ip link add "$VS" netns "$NS_S" type veth peer name "$VR" netns "$NS_R" || exit 1
ip -n "$NS_S" addr add $IP_S/24 dev "$VS"
ip -n "$NS_R" addr add $IP_R/24 dev "$VR"
for ns in "$NS_S" "$NS_R"; do ip -n "$ns" link set lo up; done
ip -n "$NS_S" link set "$VS" up
ip -n "$NS_R" link set "$VR" up
head -c $SIZE /dev/urandom >"$WORK/f"
mkdir "$WORK/out"

ip netns exec "$NS_R" "$BIN" udp-recv --bind $IP_R --port 0 --dir "$WORK/out" --overwrite \
  >"$WORK/recv.out" 2>"$WORK/recv.err" &
RPID=$!
for i in $(seq 50); do grep -q '^listening' "$WORK/recv.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$WORK/recv.out")
[ -n "$PORT" ] || { echo "udp-recv did not start: $(cat "$WORK/recv.err")" >&2; exit 1; }

set_loss() {  # set_loss none | MOD LIMIT  (drop when numgen random mod MOD < LIMIT)
  for ns in "$NS_S" "$NS_R"; do ip netns exec "$ns" nft delete table inet ti 2>/dev/null; done
  [ "$1" = none ] && return
  for ns in "$NS_S" "$NS_R"; do
    ip netns exec "$ns" nft add table inet ti
    ip netns exec "$ns" nft add chain inet ti in '{ type filter hook input priority 0; }'
  done
  ip netns exec "$NS_R" nft add rule inet ti in udp dport "$PORT" numgen random mod "$1" '<' "$2" drop
  ip netns exec "$NS_S" nft add rule inet ti in udp sport "$PORT" numgen random mod "$1" '<' "$2" drop
}

# series LABEL: RUNS transfers; prints "ok/RUNS" and the median goodput of the successes.
series() {
  local label=$1 ok=0 rates=() i t0 t1
  for i in $(seq "$RUNS"); do
    rm -f "$WORK/out/f"
    t0=$(date +%s.%N)
    if ip netns exec "$NS_S" timeout 300 "$BIN" udp-send "$WORK/f" $IP_R:"$PORT" \
      >"$WORK/send.out" 2>"$WORK/send.err" && cmp -s "$WORK/f" "$WORK/out/f"; then
      t1=$(date +%s.%N)
      ok=$((ok + 1))
      rates+=("$(echo "$t0 $t1" | awk -v s=$SIZE '{printf "%.2f", s / ($2 - $1) / 1e6}')")
    else
      echo "$label run $i failed: $(cat "$WORK/send.err")" >&2
    fi
  done
  local median
  median=$(printf '%s\n' "${rates[@]:-0}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  local range
  range=$(printf '%s\n' "${rates[@]:-0}" | sort -n | awk 'NR==1{lo=$1} {hi=$1} END {print lo "-" hi}')
  echo "| $label | $ok/$RUNS | $median MB/s | $range MB/s |"
}

echo "20 MiB over veth (MTU 1500), $RUNS runs each, load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
echo "| loss, each direction | succeeded | median goodput | range |"
echo "|---|---|---|---|"
set_loss 10 3
series "30%"
set_loss none
series "0%"
set_loss 20 1
series "5%"
