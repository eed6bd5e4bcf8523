#!/usr/bin/env bash
# A/B of two gateway builds in one run, for a commit's before and after: each build in turn gets a
# fresh stack (bench/lib/stack.sh, full JIT), a warm-up, then the gateway's CPU time per proxied
# GET /api/projects/{id} at CONNECTIONS connections and the 1-connection p50, ROUNDS times,
# alternating.
#
#   bash bench/gateway/compare.sh BEFORE.jar AFTER.jar     # ROUNDS=2 WARMUP_S=40 MEASURE_S=30
#
# Keep the old jar before rebuilding: cp services/api-gateway/target/api-gateway.jar /tmp/before.jar
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/stack.sh
[ $# = 2 ] || { echo "usage: $0 BEFORE.jar AFTER.jar" >&2; exit 2; }
ROUNDS=${ROUNDS:-2} WARMUP_S=${WARMUP_S:-40} MEASURE_S=${MEASURE_S:-30} CONNECTIONS=${CONNECTIONS:-16}
measure() { # jar → "cpu_ms_per_request req_per_s p50_ms"; runs in its own subshell
  trap bench_stack_stop EXIT
  BENCH_GATEWAY_JAR=$1 bench_stack_start "gwab-$(date +%s)-$RANDOM" WORKSPACE_RUNTIME=local \
    "LOCAL_JVM_OPTS=-Xss512k -XX:+UseSerialGC -Xmx384m" >&2
  local g="http://127.0.0.1:$GATEWAY_PORT" email="ab-$RANDOM$RANDOM@example.com" pw="bench-password-$RANDOM$RANDOM"
  curl -fsS -o /dev/null -X POST "$g/api/auth/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$pw\",\"displayName\":\"AB\"}"
  local token project pid before after out one
  token=$(curl -fsS -X POST "$g/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$pw\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
  project=$(curl -fsS -X POST "$g/api/projects" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"ab","templateId":"blank"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  pid=$(listening_pid "$GATEWAY_PORT")
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_S}s" -H "Authorization: Bearer $token" "$g/api/projects/$project" >/dev/null
  before=$(cpu_ticks "$pid")
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${MEASURE_S}s" -H "Authorization: Bearer $token" "$g/api/projects/$project")
  after=$(cpu_ticks "$pid")
  grep -q 'Non-2xx' <<<"$out" && { echo "$out" >&2; exit 1; }
  one=$(wrk -t1 -c1 -d10s --latency -H "Authorization: Bearer $token" "$g/api/projects/$project" | awk '$1=="50%" {print $2}')
  awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$(awk '/requests in/ {print $1}' <<<"$out")" \
    -v rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")" -v one="$one" \
    'BEGIN { printf "%.2f %s %s\n", t / hz * 1000 / n, rps, one }'
  bench_stack_stop
}

echo "| round | build | gateway CPU ms / request | req/s at $CONNECTIONS connections | 1-connection p50 |"
echo "|---|---|---:|---:|---:|"
for round in $(seq "$ROUNDS"); do
  for side in before after; do
    jar=$1; [ $side = after ] && jar=$2
    read -r cpu rps p50 < <(measure "$jar")
    echo "| $round | $side | $cpu | $rps | $p50 |"
  done
done
echo "(load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
