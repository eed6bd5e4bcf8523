# Sourced by benchmarks that need the whole IDE: starts the `make run` launcher from copies of the
# built jars (other work may rebuild them meanwhile) on free ports with a temporary data directory,
# its own workspace installation id and network, and rate limits raised so that a benchmark is
# never refused; `bench_stack_stop` (run it from an EXIT trap) stops it and removes its containers.
#
#   source bench/lib/stack.sh
#   bench_stack_start "$RUN_ID" [NAME=value ...]   # extra settings for the launcher
#   echo "$GATEWAY_PORT $PROJECT_PORT $WORKSPACE_PORT $CLAUDE_PORT $STACK_WORK"
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK_PID=

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The pid listening on a loopback port (to read a service's CPU time and memory from /proc).
listening_pid() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }

# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

bench_stack_start() {
  local run_id=$1; shift
  STACK_RUN_ID=$run_id
  STACK_WORK=$(mktemp -d "/tmp/$run_id.XXXX")
  local jar
  for jar in "$BENCH_ROOT"/libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar \
    "$BENCH_ROOT"/services/{api-gateway,project-service,workspace-service,claude-service}/target/*.jar; do
    [ -f "$jar" ] || { echo "missing $jar: run mvn -q -o install -DskipTests" >&2; return 1; }
  done
  mkdir -p "$STACK_WORK/root/libs/local-stack/target" "$STACK_WORK/root/frontend"
  cp "$BENCH_ROOT"/libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar "$STACK_WORK/root/libs/local-stack/target/"
  local service
  for service in api-gateway project-service workspace-service claude-service; do
    mkdir -p "$STACK_WORK/root/services/$service/target"
    cp "$BENCH_ROOT/services/$service/target/$service.jar" "$STACK_WORK/root/services/$service/target/"
  done
  # An A/B comparison of two gateway builds in one run: BENCH_GATEWAY_JAR replaces the built one.
  [ -z "${BENCH_GATEWAY_JAR:-}" ] || cp "$BENCH_GATEWAY_JAR" "$STACK_WORK/root/services/api-gateway/target/api-gateway.jar"
  GATEWAY_PORT=$(free_port) PROJECT_PORT=$(free_port) WORKSPACE_PORT=$(free_port) CLAUDE_PORT=$(free_port)
  (
    cd "$STACK_WORK/root"
    export API_GATEWAY_PORT=$GATEWAY_PORT PROJECT_SERVICE_PORT=$PROJECT_PORT \
      WORKSPACE_SERVICE_PORT=$WORKSPACE_PORT CLAUDE_SERVICE_PORT=$CLAUDE_PORT \
      LOCAL_MONGO_PORT=0 LOCAL_REDIS_PORT=0 CONSTELLATION_DATA_DIR="$STACK_WORK/data" \
      WORKSPACE_INSTALLATION_ID=$run_id WORKSPACE_NETWORK_NAME=$run_id \
      CONSTELLATION_RATELIMIT_CLIENT_CAPACITY=1000000000 CONSTELLATION_RATELIMIT_USER_CAPACITY=1000000000
    # Four service JVMs, not make run's one: the benchmarks read each service's CPU time and memory
    # from its own process (listening_pid).
    export LOCAL_ONE_JVM=${LOCAL_ONE_JVM:-0}
    local setting
    for setting in "$@"; do export "${setting?}"; done
    exec java -Dconstellation.root="$STACK_WORK/root" -jar libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar
  ) >"$STACK_WORK/launcher.log" 2>&1 &
  STACK_PID=$!
  echo "starting the stack (gateway :$GATEWAY_PORT; log $STACK_WORK/launcher.log)" >&2
  local _
  for _ in $(seq 300); do
    grep -q "is running" "$STACK_WORK/launcher.log" && return 0
    kill -0 "$STACK_PID" 2>/dev/null || { cat "$STACK_WORK/launcher.log" >&2; return 1; }
    sleep 1
  done
  echo "the stack did not start within 300 s" >&2
  return 1
}

bench_stack_stop() {
  if [ -n "$STACK_PID" ] && kill -0 "$STACK_PID" 2>/dev/null; then
    kill "$STACK_PID" # SIGTERM: the launcher's shutdown hook stops the services, Redis and MongoDB
    local _
    for _ in $(seq 60); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 0.5; done
  fi
  if [ -n "${STACK_RUN_ID:-}" ]; then
    local leftovers
    leftovers=$(docker ps -aq --filter "label=dev.constellation.installation=$STACK_RUN_ID" 2>/dev/null)
    [ -z "$leftovers" ] || docker rm -f $leftovers >/dev/null
    docker network rm "$STACK_RUN_ID" >/dev/null 2>&1 || true
  fi
  [ -z "${STACK_WORK:-}" ] || rm -rf "$STACK_WORK"
}
