#!/usr/bin/env bash
# Start-up: `make run` on a built tree, from starting the launcher to the URL printed, in
# alternating rounds in one run: four service JVMs without (plain, LOCAL_CDS=0) and with (cds) the
# class-data-sharing archives that `make build` records, and the four services in one JVM
# (onejvm: LOCAL_ONE_JVM=1, from its own archive, which this script records first). Also the
# resident memory of every process of the stack (the launcher with the MongoDB-wire server inside
# it, the service JVMs, redis-server) and the CPU seconds they used to get there.
#
#   make build && bash bench/startup/run.sh      # ROUNDS=2 MODES="plain cds onejvm"
#
# Each round uses free ports and a fresh data directory, and the local workspace runtime so that
# only our start-up is measured, not Docker's.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-2}
MODES=${MODES:-plain cds onejvm}
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

once() { # mode (plain|cds|onejvm) → "seconds rss_mib cpu_s"
  work=$(mktemp -d /tmp/startup-bench.XXXX)
  local cds=1 one=0; [ "$1" = plain ] && cds=0; [ "$1" = onejvm ] && one=1
  local start=$EPOCHREALTIME
  API_GATEWAY_PORT=$(free_port) PROJECT_SERVICE_PORT=$(free_port) WORKSPACE_SERVICE_PORT=$(free_port) \
    CLAUDE_SERVICE_PORT=$(free_port) LOCAL_MONGO_PORT=0 LOCAL_REDIS_PORT=0 \
    CONSTELLATION_DATA_DIR="$work/data" WORKSPACE_RUNTIME=local LOCAL_CDS=$cds LOCAL_ONE_JVM=$one \
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

# The one-JVM archive is recorded like `make build` records the others (a no-op when current).
case " $MODES " in *" onejvm "*) LOCAL_ONE_JVM=1 java -jar "$LAUNCHER" --prepare >&2 ;; esac

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A T R C
for round in $(seq "$ROUNDS"); do
  for mode in $MODES; do
    read -r t r c < <(once "$mode")
    T[$mode]+="$t " R[$mode]+="$r " C[$mode]+="$c "
    echo "round $round $mode: URL after $t s, $r MiB resident, $c CPU s" >&2
  done
done
for mode in $MODES; do
  declare "t_$mode=$(median ${T[$mode]})" "r_$mode=$(median ${R[$mode]})" "c_$mode=$(median ${C[$mode]})"
done
echo
echo "## Start-up, $(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); median of $ROUNDS rounds"
echo
echo "| launcher | URL printed after | resident memory, all processes | CPU seconds to get there |"
echo "|---|---:|---:|---:|"
label() { case $1 in plain) echo "four JVMs, plain jars (LOCAL_CDS=0)" ;; cds) echo "four JVMs, unpacked jars + CDS archives" ;; onejvm) echo "one JVM, four class loaders + its CDS archive (LOCAL_ONE_JVM=1)" ;; esac; }
for mode in $MODES; do
  t=t_$mode r=r_$mode c=c_$mode
  echo "| $(label "$mode") | ${!t} s | ${!r} MiB | ${!c} |"
done
echo
met() { awk "BEGIN { exit !($1) }" && echo yes || echo no; }
# The headline is what `make run` does by default; the others are its same-run baselines.
default=onejvm
others() { local m out=; for m in $MODES; do [ "$m" = "$default" ] && continue; v=$1_$m; out+="${out:+; }${!v} $2 $(label "$m" | sed 's/ (.*//')"; done; echo "$out"; }
if [[ " $MODES " == *" $default "* ]]; then
  t=t_$default r=r_$default
  echo "SUMMARY|make run on a built tree → URL printed|${!t} s|$(others t s)|≤ 20 s|$(met "${!t} <= 20")"
  echo "SUMMARY|make run: resident memory of all processes|${!r} MiB|$(others r MiB)|≤ 1024 MiB|$(met "${!r} <= 1024")"
fi
