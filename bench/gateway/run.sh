#!/usr/bin/env bash
# Gateway overhead: an authenticated GET /api/projects/{id} through the gateway, against the same
# call straight to project-service and through a plain nginx reverse proxy in front of
# project-service (the "ordinary proxy" baseline), in interleaved rounds on one stack in one run.
#
#   bash bench/gateway/run.sh     # ROUNDS=3 WARMUP_S=20 ONE_S=10 MANY_S=15 CONNECTIONS=16
#
# Starts its own stack (bench/lib/stack.sh) with the services on the JIT the Docker images use
# (full tiered compilation; `make run` stops at C1 to start faster: GATEWAY_BENCH_JVM_OPTS changes
# it) and rate-limit capacities raised, so that the limiter does all its Redis work but never
# refuses. Per round and path: one connection (p50, p99 latency) and CONNECTIONS connections
# (requests/s); for the gateway also its CPU time per request, from /proc. Prints the median of
# the rounds and SUMMARY lines (bench/README.md). Needs wrk, nginx, curl, python3, ss.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/stack.sh

ROUNDS=${ROUNDS:-3}
WARMUP_S=${WARMUP_S:-20}
ONE_S=${ONE_S:-10}
MANY_S=${MANY_S:-15}
CONNECTIONS=${CONNECTIONS:-16}
for tool in wrk nginx curl python3 ss; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install -y wrk nginx curl python3 iproute2)" >&2; exit 1; }
done

RUN_ID="gwbench-$(date +%s)-$RANDOM"
NGINX_DIR=
stop_all() {
  [ -z "$NGINX_DIR" ] || { [ -f "$NGINX_DIR/nginx.pid" ] && kill "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null; rm -rf "$NGINX_DIR"; } || true
  bench_stack_stop
}
trap stop_all EXIT
bench_stack_start "$RUN_ID" WORKSPACE_RUNTIME=local \
  "LOCAL_JVM_OPTS=${GATEWAY_BENCH_JVM_OPTS:--Xss512k -XX:+UseSerialGC -Xmx384m}"

GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
DIRECT="http://127.0.0.1:$PROJECT_PORT"
NGINX_DIR=$(mktemp -d /tmp/gwbench-nginx.XXXX)
NGINX_PORT=$(free_port)
cat >"$NGINX_DIR/nginx.conf" <<CONF
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $NGINX_DIR/body;
  proxy_temp_path $NGINX_DIR/proxy;
  upstream project { server 127.0.0.1:$PROJECT_PORT; keepalive 32; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://project;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
}
CONF
nginx -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" -c "$NGINX_DIR/nginx.conf"
NGINX="http://127.0.0.1:$NGINX_PORT"

email="bench-$RUN_ID@example.com"
password="bench-password-$RANDOM$RANDOM"
# Sign-up answers 202 without tokens (it must not reveal taken emails): sign in next.
curl -fsS -o /dev/null -X POST "$GATEWAY/api/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\",\"displayName\":\"Bench\"}"
token=$(curl -fsS -X POST "$GATEWAY/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
project=$(curl -fsS -X POST "$GATEWAY/api/projects" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name":"bench","templateId":"blank"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
URL_PATH="/api/projects/$project"
for target in "$GATEWAY" "$DIRECT" "$NGINX"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$target$URL_PATH")
  [ "$status" = 200 ] || { echo "GET $target$URL_PATH answered $status, not 200" >&2; exit 1; }
done
GATEWAY_PID=$(listening_pid "$GATEWAY_PORT")
[ -n "$GATEWAY_PID" ] || { echo "no process listens on the gateway's port" >&2; exit 1; }
TICKS_PER_S=$(getconf CLK_TCK)

# wrk prints 950.00us, 1.23ms or 1.02s: in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'; }
wrk_run() { # connections seconds url → the output of wrk; fails on any non-2xx
  local out
  out=$(wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$2s" --latency -H "Authorization: Bearer $token" "$3$URL_PATH")
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then echo "$out" >&2; echo "$3: errors or non-2xx answers" >&2; exit 1; fi
  echo "$out"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "warming up each path for ${WARMUP_S} s with $CONNECTIONS connections" >&2
for target in "$DIRECT" "$NGINX" "$GATEWAY"; do wrk_run "$CONNECTIONS" "$WARMUP_S" "$target" >/dev/null; done

declare -A P50 P99 RPS
CPU=()
for round in $(seq "$ROUNDS"); do
  for name in direct nginx gateway; do
    case $name in direct) target=$DIRECT ;; nginx) target=$NGINX ;; gateway) target=$GATEWAY ;; esac
    out=$(wrk_run 1 "$ONE_S" "$target")
    P50[$name]+="$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")") "
    P99[$name]+="$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")") "
    before=$(cpu_ticks "$GATEWAY_PID")
    out=$(wrk_run "$CONNECTIONS" "$MANY_S" "$target")
    after=$(cpu_ticks "$GATEWAY_PID")
    RPS[$name]+="$(awk '/Requests\/sec/ {print $2}' <<<"$out") "
    if [ $name = gateway ]; then
      requests=$(awk '/requests in/ {print $1}' <<<"$out")
      CPU+=("$(awk -v t=$((after - before)) -v hz="$TICKS_PER_S" -v n="$requests" 'BEGIN { printf "%.2f", t / hz * 1000 / n }')")
    fi
    echo "round $round $name: p50 $(echo ${P50[$name]} | awk '{print $NF}') ms, $(echo ${RPS[$name]} | awk '{print $NF}') req/s" >&2
  done
done

for name in direct nginx gateway; do
  declare "p50_$name=$(median ${P50[$name]})" "p99_$name=$(median ${P99[$name]})" "rps_$name=$(median ${RPS[$name]})"
done
cpu=$(median "${CPU[@]}")
added=$(awk -v g="$p50_gateway" -v d="$p50_direct" 'BEGIN { printf "%.2f", g - d }')
ratio=$(awk -v g="$rps_gateway" -v n="$rps_nginx" 'BEGIN { printf "%.2f", g / n }')

echo
echo "## Gateway overhead, $(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "GET $URL_PATH with a bearer token; median of $ROUNDS interleaved rounds; 1 connection for ${ONE_S} s, $CONNECTIONS for ${MANY_S} s"
echo
echo "| path | 1 conn p50 | 1 conn p99 | $CONNECTIONS conn req/s |"
echo "|---|---:|---:|---:|"
printf '| direct to project-service | %s ms | %s ms | %s |\n' "$p50_direct" "$p99_direct" "$rps_direct"
printf '| nginx in front of project-service | %s ms | %s ms | %s |\n' "$p50_nginx" "$p99_nginx" "$rps_nginx"
printf '| gateway | %s ms | %s ms | %s |\n' "$p50_gateway" "$p99_gateway" "$rps_gateway"
echo
echo "gateway CPU per request (user + system, at $CONNECTIONS connections): $cpu ms"
echo
met() { awk "BEGIN { exit !($1) }" && echo yes || echo no; }
echo "SUMMARY|GET /api/projects/{id}, 1 connection, p50|$p50_gateway ms through the gateway (+$added ms)|$p50_direct ms direct|≤ 1 ms added|$(met "$added <= 1")"
echo "SUMMARY|same, $CONNECTIONS connections, throughput|$rps_gateway req/s through the gateway|$rps_nginx req/s nginx proxy; $rps_direct direct|≥ 0.8 × nginx ($ratio ×)|$(met "$ratio >= 0.8")"
echo "SUMMARY|gateway CPU per proxied request|$cpu ms|—|—|—"
