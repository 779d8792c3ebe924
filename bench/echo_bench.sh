#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Echo server benchmark on loopback: messages/s and latency at 1,000 concurrent connections
# with `tcpinspect echo-client` load mode against (a) tcpinspect echo-server, (b) socat
# fork+cat, (c) ncat --exec cat; then 10,000 concurrent connections held by echo-server.
#
# Usage: bench/echo_bench.sh [path/to/tcpinspect]
# Env:   CONNS (1000) MESSAGES (100 per connection) SIZE (64 bytes) HOLD_CONNS (10000)
#        DURATION (30 s cap per run)
# Every process started here is stopped here, by PID. Loopback only.
set -euo pipefail

BIN=${1:-${TCPINSPECT:-build/cmd/tcpinspect}}
CONNS=${CONNS:-1000}
MESSAGES=${MESSAGES:-100}
SIZE=${SIZE:-64}
HOLD_CONNS=${HOLD_CONNS:-10000}
DURATION=${DURATION:-30}
[[ -x $BIN ]] || { echo "echo_bench: no tcpinspect binary at $BIN" >&2; exit 1; }
for tool in socat ncat ss python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "echo_bench: need $tool (apt-get install -y socat ncat iproute2)" >&2; exit 1; }
done
# Both sides need a descriptor per connection (plus slack).
ulimit -n "$(ulimit -Hn)"
if (( $(ulimit -n) < HOLD_CONNS + 100 )); then
  echo "echo_bench: ulimit -n $(ulimit -n) is too low for $HOLD_CONNS connections" >&2
  exit 1
fi

WORK=$(mktemp -d /tmp/echo_bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_listening() {  # port
  for _ in $(seq 100); do
    ss -Htln "sport = :$1" | grep -q . && return 0
    sleep 0.05
  done
  echo "echo_bench: nothing listening on port $1" >&2
  return 1
}

# Servers run under /usr/bin/time so their CPU use (including reaped per-connection
# children: socat and cat, ncat and cat) can be compared per message.
start_timed() {  # cpu-file cmd...: sets TIMER (the time process) and SPID (the server)
  local cpu=$1; shift
  /usr/bin/time -f '%U %S' -o "$cpu" "$@" &
  TIMER=$!; PIDS+=("$TIMER")
  SPID=""
  for _ in $(seq 100); do
    SPID=$(pgrep -P "$TIMER" || true)
    [[ -n $SPID ]] && break
    sleep 0.02
  done
  PIDS+=("$SPID")
}

stop_timed() {  # SIGTERM the server (not the time process), then wait for the report
  # Per-connection children (socat/ncat forks) that outlive their parent would be
  # orphaned: note them first and stop them by PID too.
  local children
  children=$(pgrep -P "$SPID" || true)
  kill -TERM "$SPID" 2>/dev/null || true
  wait "$TIMER" 2>/dev/null || true
  for pid in $children; do kill -TERM "$pid" 2>/dev/null || true; done
}

cpu_seconds() { awk 'END { printf "%.2f", $1 + $2 }' "$1"; }

ROWS=()
run_load() {  # label port
  local out
  out=$("$BIN" echo-client "127.0.0.1:$2" --connections "$CONNS" --messages "$MESSAGES" \
    --size "$SIZE" --duration "$DURATION" --timeout 30 2>"$WORK/load.err") || true
  echo "  $1: $out" >&2
  local f
  f() { sed -nE "s|.*[ ^]$1=([^ ]+).*|\1|p" <<<" $out"; }
  LAST_ROW="| $1 | $(f connections) | $(f messages) | $(f msgs/s) | $(f p50) | $(f p99) | $(f max) | $(f errors) |"
  LAST_RATE=$(f msgs/s)
  LAST_MESSAGES=$(f messages | cut -d/ -f1)
}

add_row() {  # cpu-file
  local cpu
  cpu=$(cpu_seconds "$1")
  ROWS+=("$LAST_ROW $cpu | $(python3 -c "print(f'{$cpu * 1e6 / max($LAST_MESSAGES, 1):.1f}')") |")
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load: $CONNS connections x $MESSAGES messages x $SIZE bytes (cap ${DURATION}s)" >&2

# (a) tcpinspect echo-server
start_timed "$WORK/ours.cpu" "$BIN" echo-server --bind 127.0.0.1 --port 0 >"$WORK/server.out"
for _ in $(seq 100); do grep -q '^listening on' "$WORK/server.out" && break; sleep 0.05; done
PORT=$(sed -nE '1s/^listening on 127\.0\.0\.1:([0-9]+).*/\1/p' "$WORK/server.out")
run_load "tcpinspect echo-server" "$PORT"
OURS=$LAST_RATE
stop_timed
add_row "$WORK/ours.cpu"

# (b) socat, one forked socat + cat per connection
PORT=$(free_port)
start_timed "$WORK/socat.cpu" socat "TCP-LISTEN:$PORT,bind=127.0.0.1,fork,reuseaddr,backlog=4096" EXEC:cat
wait_listening "$PORT"
run_load "socat fork + EXEC:cat" "$PORT"
SOCAT_RATE=$LAST_RATE
stop_timed
add_row "$WORK/socat.cpu"

# (c) ncat, one forked cat per connection
PORT=$(free_port)
start_timed "$WORK/ncat.cpu" ncat -l -k --max-conns $((CONNS + 10)) --exec /bin/cat 127.0.0.1 "$PORT"
wait_listening "$PORT"
run_load "ncat -k --exec cat" "$PORT"
stop_timed
add_row "$WORK/ncat.cpu"

# 10,000 concurrent connections held open by echo-server.
start_timed "$WORK/hold.cpu" "$BIN" echo-server --bind 127.0.0.1 --port 0 --max-clients 0 >"$WORK/hold.out"
for _ in $(seq 100); do grep -q '^listening on' "$WORK/hold.out" && break; sleep 0.05; done
PORT=$(sed -nE '1s/^listening on 127\.0\.0\.1:([0-9]+).*/\1/p' "$WORK/hold.out")
"$BIN" echo-client "127.0.0.1:$PORT" --connections "$HOLD_CONNS" --messages 1 --size 16 \
  --hold 4 --timeout 30 --duration "$DURATION" >"$WORK/hold.load" 2>"$WORK/hold.err" &
PIDS+=($!); CLIENT=$!
ESTABLISHED=0
for _ in $(seq 60); do
  grep -q '^holding' "$WORK/hold.err" 2>/dev/null && break
  sleep 0.5
done
sleep 1
# Server side of each connection: local port = server port.
ESTABLISHED=$(ss -Htn state established "( sport = :$PORT )" | wc -l)
wait "$CLIENT" || true
stop_timed
PEAK=$(sed -nE 's/.*peak_clients=([0-9]+).*/\1/p' "$WORK/hold.out")
echo "  hold: $(cat "$WORK/hold.load")" >&2

RATIO=$(python3 -c "print(f'{float(\"$OURS\")/max(float(\"$SOCAT_RATE\" or 0),1):.1f}')")
cat <<EOF2

Loopback, $(nproc) cores, $(uname -r), load average before the run: $LOAD_BEFORE. Load: \`echo-client --connections $CONNS --messages $MESSAGES --size $SIZE\` (every echoed byte verified; latency = one request/response round trip).

| server | connections | messages | messages/s | p50 | p99 | max | errors | server CPU s | server CPU µs/msg |
|---|---|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${ROWS[@]}")

tcpinspect echo-server vs socat: ${RATIO}x messages/s.

Concurrent connections: \`echo-client --connections $HOLD_CONNS --messages 1 --hold 4\` against echo-server:
$ESTABLISHED established (\`ss -tn state established '( sport = :PORT )'\`), server peak_clients=$PEAK.
EOF2
