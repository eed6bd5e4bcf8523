#!/usr/bin/env bash
# The browser journey against the real stack: the fake Anthropic server, the local stack on fresh
# data and free ports, then frontend/e2e/journey.mjs in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  if [ "${REQUIRE_E2E:-0}" = 1 ]; then echo "e2e: /usr/bin/chromium is missing and REQUIRE_E2E=1" >&2; exit 1; fi
  echo "e2e: skipped (no /usr/bin/chromium; apt-get install chromium to run it)"; exit 0
fi
make --no-print-directory frontend-build >/dev/null

WORK=$(mktemp -d /tmp/constellation-e2e.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
FAKE_PORT=$(free_port)
export API_GATEWAY_PORT=$(free_port) PROJECT_SERVICE_PORT=$(free_port) WORKSPACE_SERVICE_PORT=$(free_port) CLAUDE_SERVICE_PORT=$(free_port)
export LOCAL_MONGO_PORT=0 LOCAL_REDIS_PORT=0 CONSTELLATION_DATA_DIR="$WORK/data"
export ANTHROPIC_BASE_URL="http://127.0.0.1:$FAKE_PORT" ANTHROPIC_API_KEY="sk-ant-e2e-fake-key"
export WORKSPACE_RUNTIME=${WORKSPACE_RUNTIME:-auto}

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  # Kept for the log-secrets check that follows in `make test`.
  rm -rf target/e2e-logs && mkdir -p target/e2e-logs
  cp "$WORK"/data/logs/*.log "$WORK"/stack.log target/e2e-logs/ 2>/dev/null || true
  if [ "${KEEP_E2E:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

node frontend/e2e/fake-anthropic.mjs --port "$FAKE_PORT" >"$WORK/fake-anthropic.log" 2>&1 & pids+=($!)
java -jar libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar >"$WORK/stack.log" 2>&1 & pids+=($!)
for _ in $(seq 1 "${LOCAL_READY_TIMEOUT_S:-480}"); do
  grep -q "is running" "$WORK/stack.log" 2>/dev/null && break
  kill -0 "${pids[1]}" 2>/dev/null || { cat "$WORK/stack.log"; tail -n 50 "$WORK"/data/logs/*.log; exit 1; }
  sleep 1
done
grep -q "is running" "$WORK/stack.log" || { echo "stack did not start"; cat "$WORK/stack.log"; exit 1; }

BASE_URL="http://localhost:$API_GATEWAY_PORT" WORKSPACES_ROOT="$WORK/data/workspaces" \
  node frontend/e2e/journey.mjs || { echo "journey failed; service logs:"; tail -n 40 "$WORK"/data/logs/*.log | cut -c1-400; exit 1; }

# The UI's API types must be what `make gen` makes from the services that just ran.
OPENAPI_HOST=http://127.0.0.1 node frontend/scripts/gen-api.mjs >/dev/null
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- frontend/src/api/generated; then
  git --no-pager diff --stat -- frontend/src/api/generated
  echo "e2e: frontend/src/api/generated differs from what the services serve: run make gen and commit" >&2
  exit 1
fi
