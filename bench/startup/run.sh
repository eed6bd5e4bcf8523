#!/usr/bin/env bash
# Start-up: `make run` on a built tree, from starting the launcher to the URL printed, with and
# without the class-data-sharing archive that `make build` records (LOCAL_CDS=0 turns it off), in
# alternating rounds in one run. Also the resident memory of every process of the stack (the
# launcher, four service JVMs, the MongoDB-wire server inside the launcher, redis-server) and the
# CPU seconds they used to get there.
#
#   make build && bash bench/startup/run.sh      # ROUNDS=2
#
# Each round uses free ports and a fresh data directory, and the local workspace runtime so that
# only our start-up is measured, not Docker's.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-2}
LAUNCHER=libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar
[ -f "$LAUNCHER" ] || { echo "missing $LAUNCHER: run make build" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
descendants() { local p; for p in $(pgrep -P "$1"); do echo "$p"; descendants "$p"; done; }
TICKS=$(getconf CLK_TCK)

pid= work=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"; for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  [ -z "$work" ] || rm -rf "$work"
}
trap cleanup EXIT

once() { # mode (cds|plain) → "seconds rss_mib cpu_s"
  work=$(mktemp -d /tmp/startup-bench.XXXX)
  local cds=1; [ "$1" = plain ] && cds=0
  local start=$EPOCHREALTIME
  API_GATEWAY_PORT=$(free_port) PROJECT_SERVICE_PORT=$(free_port) WORKSPACE_SERVICE_PORT=$(free_port) \
    CLAUDE_SERVICE_PORT=$(free_port) LOCAL_MONGO_PORT=0 LOCAL_REDIS_PORT=0 \
    CONSTELLATION_DATA_DIR="$work/data" WORKSPACE_RUNTIME=local LOCAL_CDS=$cds \
    java -jar "$LAUNCHER" >"$work/launcher.log" 2>&1 &
  pid=$!
  for _ in $(seq 3000); do
    grep -qs "is running" "$work/launcher.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/launcher.log" >&2; exit 1; }
    sleep 0.1
  done
  grep -q "is running" "$work/launcher.log" || { echo "no URL within 300 s" >&2; exit 1; }
  local seconds rss=0 cpu=0 p
  seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  for p in $pid $(descendants "$pid"); do
    [ -r "/proc/$p/status" ] || continue
    rss=$((rss + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status")))
    cpu=$((cpu + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  if [ "$cds" = 1 ] && ! grep -q "class-data sharing" "$work/launcher.log"; then
    echo "warning: no class-data-sharing archive was used; run make build first" >&2
  fi
  cleanup; pid= work=
  echo "$seconds $((rss / 1024)) $(awk -v t=$cpu -v hz="$TICKS" 'BEGIN { printf "%.1f", t / hz }')"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A T R C
for round in $(seq "$ROUNDS"); do
  for mode in plain cds; do
    read -r t r c < <(once "$mode")
    T[$mode]+="$t " R[$mode]+="$r " C[$mode]+="$c "
    echo "round $round $mode: URL after $t s, $r MiB resident, $c CPU s" >&2
  done
done
for mode in plain cds; do
  declare "t_$mode=$(median ${T[$mode]})" "r_$mode=$(median ${R[$mode]})" "c_$mode=$(median ${C[$mode]})"
done
echo
echo "## Start-up, $(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); median of $ROUNDS rounds"
echo
echo "| launcher | URL printed after | resident memory, all processes | CPU seconds to get there |"
echo "|---|---:|---:|---:|"
echo "| plain jars (LOCAL_CDS=0) | $t_plain s | $r_plain MiB | $c_plain |"
echo "| unpacked jars + CDS archive | $t_cds s | $r_cds MiB | $c_cds |"
echo
met() { awk "BEGIN { exit !($1) }" && echo yes || echo no; }
echo "SUMMARY|make run on a built tree → URL printed|$t_cds s|$t_plain s without the CDS archive|≤ 20 s|$(met "$t_cds <= 20")"
echo "SUMMARY|make run: resident memory of all processes|$r_cds MiB|$r_plain MiB without the CDS archive|≤ 1024 MiB|$(met "$r_cds <= 1024")"
