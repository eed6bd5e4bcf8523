#!/usr/bin/env bash
# The gateway framework floor: what Spring Cloud Gateway costs by itself, with nothing of ours in
# it (no security, rate limits, metrics, logging filters), beside nginx and no proxy at all. Each
# proxy forwards one route to the same upstream (nginx answering a fixed 300-byte JSON body, so the
# upstream's own time is as small as this machine allows), in interleaved rounds in one run:
#
#   direct       wrk → upstream
#   nginx        wrk → nginx proxy (keep-alive upstream) → upstream
#   webflux-17   Spring Cloud Gateway Server WebFlux (our gateway's framework) on JDK 17
#   webflux-25   the same jar on JDK 25
#   mvc-17       Spring Cloud Gateway Server MVC on JDK 17, Tomcat's platform threads
#   mvc-25-vt    the same jar on JDK 25 with virtual threads (spring.threads.virtual.enabled)
#
# Per round and path: one connection (p50, p99) and CONNECTIONS connections (requests/s), and the
# proxy's CPU time per request from /proc. All JVMs run the full tiered JIT with the options our
# gateway benchmark uses. The two apps are built here (own pom, outside the root reactor).
#
#   bash bench/gateway-floor/run.sh     # ROUNDS=3 WARMUP_S=20 ONE_S=10 MANY_S=15 CONNECTIONS=16
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
WARMUP_S=${WARMUP_S:-20}
ONE_S=${ONE_S:-10}
MANY_S=${MANY_S:-15}
CONNECTIONS=${CONNECTIONS:-16}
JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JVM_OPTS=${FLOOR_JVM_OPTS:--Xss512k -XX:+UseSerialGC -Xmx384m}
PATHS=${PATHS:-direct nginx webflux-17 webflux-25 mvc-17 mvc-25-vt}
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install -y wrk nginx curl python3)" >&2; exit 1; }
done
[ -x "$JDK25/bin/java" ] || { echo "no JDK 25 at $JDK25 (JDK25=…): the virtual-thread rows need it" >&2; exit 1; }

mvn -B -q -f bench/gateway-floor/pom.xml package -Dmaven.test.skip=true >&2
WEBFLUX_JAR=bench/gateway-floor/webflux/target/gateway-floor-webflux.jar
MVC_JAR=bench/gateway-floor/mvc/target/gateway-floor-mvc.jar

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WORK=$(mktemp -d /tmp/gwfloor.XXXX)
declare -A PORT PID
cleanup() {
  local p
  for p in "${PID[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PID[@]}"; do for _ in $(seq 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done; done
  rm -rf "$WORK"
}
trap cleanup EXIT

nginx_start() { # name config-body
  local dir="$WORK/$1"; mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  $2
}
CONF
  nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf"
  for _ in $(seq 40); do [ -s "$dir/nginx.pid" ] && break; sleep 0.1; done
  PID[$1]=$(cat "$dir/nginx.pid") # the master; its one worker is the child that works
}
BODY='{"id":"6751a0c2e4b0f1a2b3c4d5e6","name":"bench","ownerId":"6751a0c2e4b0f1a2b3c4d5e7","templateId":"blank","members":[{"userId":"6751a0c2e4b0f1a2b3c4d5e7","role":"OWNER"}],"createdAt":"2026-12-07T12:00:00Z","updatedAt":"2026-12-07T12:00:00Z","workspace":{"state":"STOPPED"}}'
PORT[direct]=$(free_port)
nginx_start direct "server { listen 127.0.0.1:${PORT[direct]}; location / { default_type application/json; return 200 '$BODY'; } }"
UPSTREAM="http://127.0.0.1:${PORT[direct]}"
PORT[nginx]=$(free_port)
nginx_start nginx "upstream up { server 127.0.0.1:${PORT[direct]}; keepalive 32; }
  server { listen 127.0.0.1:${PORT[nginx]}; location / { proxy_pass http://up; proxy_http_version 1.1;
    proxy_set_header Connection \"\"; proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$remote_addr; } }"

jvm_start() { # name java-home jar extra-options...
  local name=$1 home=$2 jar=$3; shift 3
  PORT[$name]=$(free_port)
  # shellcheck disable=SC2086
  UPSTREAM=$UPSTREAM "$home/bin/java" $JVM_OPTS "$@" -jar "$jar" --server.port="${PORT[$name]}" \
    --server.address=127.0.0.1 >"$WORK/$name.log" 2>&1 &
  PID[$name]=$!
}
for name in $PATHS; do
  case $name in
    webflux-17) jvm_start "$name" "$JDK17" "$WEBFLUX_JAR" ;;
    webflux-25) jvm_start "$name" "$JDK25" "$WEBFLUX_JAR" ;;
    mvc-17) jvm_start "$name" "$JDK17" "$MVC_JAR" ;;
    mvc-25-vt) jvm_start "$name" "$JDK25" "$MVC_JAR" -Dspring.threads.virtual.enabled=true ;;
  esac
done
for name in $PATHS; do
  for _ in $(seq 240); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[$name]}/api/projects/x")" = 200 ] && break
    kill -0 "${PID[$name]}" 2>/dev/null || { cat "$WORK/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[$name]}/api/projects/x")" = 200 ] ||
    { echo "$name does not answer 200" >&2; cat "$WORK/$name.log" >&2; exit 1; }
done

# The process whose CPU a path costs: the JVM, or nginx's worker (the master's child).
worker_pid() { case $1 in direct | nginx) pgrep -P "${PID[$1]}" | head -1 ;; *) echo "${PID[$1]}" ;; esac; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICKS_PER_S=$(getconf CLK_TCK)
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.3f", n }'; }
wrk_run() { # connections seconds url
  local out
  out=$(wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$2s" --latency "$3/api/projects/6751a0c2e4b0f1a2b3c4d5e6")
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then echo "$out" >&2; echo "$3: errors or non-2xx answers" >&2; exit 1; fi
  echo "$out"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "warming up each path for ${WARMUP_S} s with $CONNECTIONS connections" >&2
for name in $PATHS; do wrk_run "$CONNECTIONS" "$WARMUP_S" "http://127.0.0.1:${PORT[$name]}" >/dev/null; done

declare -A P50 P99 RPS CPU
for round in $(seq "$ROUNDS"); do
  for name in $PATHS; do
    url="http://127.0.0.1:${PORT[$name]}"
    out=$(wrk_run 1 "$ONE_S" "$url")
    P50[$name]+="$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")") "
    P99[$name]+="$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")") "
    pid=$(worker_pid "$name")
    before=$(cpu_ticks "$pid")
    out=$(wrk_run "$CONNECTIONS" "$MANY_S" "$url")
    after=$(cpu_ticks "$pid")
    RPS[$name]+="$(awk '/Requests\/sec/ {print $2}' <<<"$out") "
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    CPU[$name]+="$(awk -v t=$((after - before)) -v hz="$TICKS_PER_S" -v n="$requests" 'BEGIN { printf "%.3f", t / hz * 1000 / n }') "
    echo "round $round $name: p50 $(echo ${P50[$name]} | awk '{print $NF}') ms, $(echo ${RPS[$name]} | awk '{print $NF}') req/s, $(echo ${CPU[$name]} | awk '{print $NF}') ms CPU/request" >&2
  done
done

echo
echo "## Gateway framework floor, $(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "one route to an nginx upstream answering 300 bytes; median of $ROUNDS interleaved rounds; 1 connection for ${ONE_S} s, $CONNECTIONS for ${MANY_S} s; JVMs: $JVM_OPTS, full JIT"
echo
echo "| path | 1 conn p50 | added p50 | 1 conn p99 | $CONNECTIONS conn req/s | × nginx | CPU ms / request (the proxy's process) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
p50_direct=$(median ${P50[direct]})
rps_nginx=$(median ${RPS[nginx]:-0})
for name in $PATHS; do
  p50=$(median ${P50[$name]}) p99=$(median ${P99[$name]}) rps=$(median ${RPS[$name]}) cpu=$(median ${CPU[$name]})
  added=$(awk -v a="$p50" -v d="$p50_direct" 'BEGIN { printf "%+.3f", a - d }')
  ratio=$(awk -v r="$rps" -v n="$rps_nginx" 'BEGIN { if (n > 0) printf "%.2f", r / n; else print "—" }')
  [ "$name" = direct ] && added="—"
  printf '| %s | %s ms | %s ms | %s ms | %s | %s | %s |\n' "$name" "$p50" "$added" "$p99" "$rps" "$ratio" "$cpu"
  declare "p50_${name//-/_}=$p50" "rps_${name//-/_}=$rps" "added_${name//-/_}=$added" "ratio_${name//-/_}=$ratio"
done
echo
# No goal of their own: they say how much of the gateway rows' goals the framework alone uses.
cpu_nginx=$(median ${CPU[nginx]:-0})
added_nginx=$(awk -v a="$(median ${P50[nginx]:-0})" -v d="$p50_direct" 'BEGIN { printf "%+.3f", a - d }')
for name in $PATHS; do
  case $name in direct | nginx) continue ;; esac
  v=${name//-/_}; added=added_$v rps=rps_$v
  echo "SUMMARY|gateway framework floor: bare $name, one route|${!added} ms p50, ${!rps} req/s, $(median ${CPU[$name]}) ms CPU/request|nginx proxy $added_nginx ms, $rps_nginx req/s, $cpu_nginx ms CPU/request|—|—"
done
