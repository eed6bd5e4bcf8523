#!/usr/bin/env bash
# Find in files over a 50,000-file project, against a baseline measured in the same run: the
# search through the gateway (ripgrep in the running workspace, NDJSON streamed back) next to the
# same `rg` run directly in the same container with `docker exec`, and the server-side walk once the
# workspace is stopped. p50 over REPS searches each (one unrecorded warm-up).
#
#   bash bench/search/run.sh      # REPS=5 FILES=50000 by default
#
# Starts its own stack with the launcher (free ports, a temporary data directory, its own
# WORKSPACE_INSTALLATION_ID and workspace network), and stops it and removes every container it
# made on exit. Needs the service jars (`mvn -q -o package -Dmaven.test.skip=true`), a Docker engine
# with the workspace image (with rg), JDK 17 and python3. Bounded: every wait has a timeout.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN_ID="searchbench-$(date +%s)-$RANDOM"
WORK=$(mktemp -d "/tmp/$RUN_ID.XXXX")
BENCH_LABEL="dev.constellation.bench=$RUN_ID"
launcher_pid=

for jar in "$ROOT"/libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar \
  "$ROOT"/services/{api-gateway,project-service,workspace-service,claude-service}/target/*.jar; do
  [ -f "$jar" ] || { echo "missing $jar: run mvn -q -o install -DskipTests" >&2; exit 1; }
done
docker image inspect "${WORKSPACE_IMAGE:-constellation/workspace:local}" >/dev/null

cleanup() {
  if [ -n "$launcher_pid" ] && kill -0 "$launcher_pid" 2>/dev/null; then
    kill "$launcher_pid" # the launcher's shutdown hook stops the services, Redis and MongoDB
    for _ in $(seq 60); do kill -0 "$launcher_pid" 2>/dev/null || break; sleep 0.5; done
  fi
  local leftovers
  leftovers=$(docker ps -aq --filter "label=dev.constellation.installation=$RUN_ID"; docker ps -aq --filter "label=$BENCH_LABEL")
  [ -z "$leftovers" ] || docker rm -f $leftovers >/dev/null
  docker network rm "$RUN_ID" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Other people rebuild the jars in this checkout; a jar replaced under a starting JVM breaks it.
mkdir -p "$WORK/root/libs/local-stack/target"
cp "$ROOT"/libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar "$WORK/root/libs/local-stack/target/"
for service in api-gateway project-service workspace-service claude-service; do
  mkdir -p "$WORK/root/services/$service/target"
  cp "$ROOT/services/$service/target/$service.jar" "$WORK/root/services/$service/target/"
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GATEWAY_PORT=$(free_port)
WORKSPACE_PORT=$(free_port)

(
  cd "$WORK/root"
  API_GATEWAY_PORT=$GATEWAY_PORT PROJECT_SERVICE_PORT=$(free_port) WORKSPACE_SERVICE_PORT=$WORKSPACE_PORT \
  CLAUDE_SERVICE_PORT=$(free_port) LOCAL_MONGO_PORT=0 LOCAL_REDIS_PORT=0 CONSTELLATION_DATA_DIR="$WORK/data" \
  LOCAL_ONE_JVM=${LOCAL_ONE_JVM:-0} \
  WORKSPACE_RUNTIME=docker WORKSPACE_INSTALLATION_ID=$RUN_ID WORKSPACE_NETWORK_NAME=$RUN_ID \
  CONSTELLATION_RATELIMIT_CLIENT_CAPACITY=1000000000 CONSTELLATION_RATELIMIT_USER_CAPACITY=1000000000 \
    exec java -Dconstellation.root="$WORK/root" -jar libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar
) >"$WORK/launcher.log" 2>&1 &
launcher_pid=$!

echo "starting the stack (gateway :$GATEWAY_PORT, workspace-service :$WORKSPACE_PORT; log $WORK/launcher.log)" >&2
for _ in $(seq "${READY_TIMEOUT:-300}"); do
  grep -q "is running" "$WORK/launcher.log" && break
  kill -0 "$launcher_pid" 2>/dev/null || { cat "$WORK/launcher.log" >&2; exit 1; }
  sleep 1
done
grep -q "is running" "$WORK/launcher.log" || { echo "the stack did not start within ${READY_TIMEOUT:-300} s" >&2; exit 1; }

echo "## Find in files benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, Docker $(docker version --format '{{.Server.Version}}')"
GATEWAY="http://127.0.0.1:$GATEWAY_PORT" timeout 1500 java "$ROOT/bench/search/SearchBench.java"
