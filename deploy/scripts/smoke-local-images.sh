#!/usr/bin/env bash
# Smoke test of the Docker images on a machine with no registry: builds our four service images
# from a debootstrapped base (deploy/scripts/build-local-base.sh) and the jars of `mvn install`,
# plus stand-ins for Redis (Debian's redis-server) and MongoDB (our MongoDB-wire server), runs them
# on the same edge/backend/data networks as docker-compose.yml, and checks GET /api/health
# through the gateway: status UP or DEGRADED with every service UP.
# Idempotent: leftovers of an earlier run are removed first; everything is removed at the end
# (images are kept for the next run unless SMOKE_REMOVE_IMAGES=1).
#   SKIP_MVN=1       reuse the jars already in services/*/target
#   SMOKE_PORT=18000 host port (127.0.0.1) of the gateway
#   SMOKE_TIMEOUT=480 seconds to wait for health (JVM start is slow on a loaded 2-core host)
set -euo pipefail
cd "$(dirname "$0")/../.."
START=$(date +%s)
P=constellation-smoke
BASE=${SMOKE_BASE:-constellation/smoke-base:local}
NGINX_BASE=${SMOKE_NGINX_BASE:-constellation/nginx-base:local}
PORT=${SMOKE_PORT:-18000}
TIMEOUT=${SMOKE_TIMEOUT:-480}
SERVICES=(project-service workspace-service claude-service api-gateway)
service_port() { case $1 in api-gateway) echo 8000;; claude-service) echo 8001;; project-service) echo 8002;; workspace-service) echo 8003;; esac; }
export DOCKER_BUILDKIT=0   # the classic builder uses local images as they are and stops at --target

say() { printf '[smoke %3ds] %s\n' "$(( $(date +%s) - START ))" "$*"; }

cleanup() {
  local rc=$?
  if [ "$rc" != 0 ] && [ "${SMOKE_KEEP_LOGS:-1}" = 1 ]; then
    for c in $(docker ps -aq --filter "label=dev.constellation.smoke=1"); do
      echo "----- logs of $(docker inspect -f '{{.Name}}' "$c") (last 30 lines)"; docker logs --tail 30 "$c" 2>&1 || true
    done
  fi
  docker ps -aq --filter "label=dev.constellation.smoke=1" | xargs -r docker rm -f >/dev/null
  for n in edge backend data; do docker network rm "${P}_$n" >/dev/null 2>&1 || true; done
  if [ "${SMOKE_REMOVE_IMAGES:-0}" = 1 ]; then
    docker rmi "${SERVICES[@]/#/constellation/}" >/dev/null 2>&1 || true
  fi
  say "cleaned up; total $(( $(date +%s) - START )) s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Leftovers of an interrupted run.
docker ps -aq --filter "label=dev.constellation.smoke=1" | xargs -r docker rm -f >/dev/null
for n in edge backend data; do docker network rm "${P}_$n" >/dev/null 2>&1 || true; done

if [ "${SKIP_MVN:-0}" != 1 ]; then
  say "mvn -q -o install -DskipTests"
  mvn -B -q -o install -DskipTests || { say "Maven build failed"; exit 1; }
fi
for s in "${SERVICES[@]}"; do
  [ -f "services/$s/target/$s.jar" ] || { say "services/$s/target/$s.jar is missing"; exit 1; }
done
[ -f libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar ] || { say "local-stack exec jar missing"; exit 1; }

say "base image $BASE"
EXTRA_PACKAGES=redis-server bash deploy/scripts/build-local-base.sh "$BASE"

# A snapshot of the jars as the build context: other builds in this checkout may rewrite them
# mid-build, and the context stays a few files instead of the whole repository.
STAGE=$(mktemp -d /tmp/constellation-smoke-context.XXXXXX)
snapshot() { # snapshot JAR: copy it into the context, again if it was caught half-written
  local jar=$1 try
  mkdir -p "$STAGE/$(dirname "$jar")"
  for try in 1 2 3 4 5; do
    cp "$jar" "$STAGE/$jar"
    python3 -c 'import sys, zipfile; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)' "$STAGE/$jar" 2>/dev/null && return 0
    say "$jar is being rewritten; retrying"; sleep 5
  done
  say "$jar is not a valid jar"; exit 1
}
for s in "${SERVICES[@]}"; do snapshot "services/$s/target/$s.jar"; done
snapshot libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar
mkdir -p "$STAGE/deploy" && cp deploy/service-entrypoint.sh "$STAGE/deploy/"
build() { # build TAG DOCKERFILE [args...]: quiet unless it fails
  local tag=$1 file=$2; shift 2
  say "image $tag"
  docker build -q -f "$file" --build-arg "RUNTIME_IMAGE=$BASE" -t "$tag" "$@" "$STAGE" >"$STAGE/build.log" 2>&1 \
    || { grep -v 'DEPRECATED\|BuildKit\|environment-variable' "$STAGE/build.log"; exit 1; }
}
# One at a time: the machine is shared.
for s in "${SERVICES[@]}"; do
  build "constellation/$s:smoke" deploy/service.Dockerfile --target prebuilt \
    --build-arg "SERVICE=$s" --build-arg "SERVICE_PORT=$(service_port "$s")"
done
build constellation/mongo-wire:smoke deploy/smoke/mongo-wire.Dockerfile
build constellation/redis:smoke deploy/smoke/redis.Dockerfile
rm -rf "$STAGE"
# The images these tags pointed at before this run.
docker image prune -f --filter label=dev.constellation.image=1 >/dev/null
# The frontend's nginx image, from a Debian base with nginx and the dist/ that `make build` made.
[ -f frontend/dist/index.html ] || { say "frontend/dist is missing: run make build first"; exit 1; }
say "base image $NGINX_BASE"
BASE_PACKAGES=ca-certificates,curl,nginx bash deploy/scripts/build-local-base.sh "$NGINX_BASE"
say "image constellation/frontend:smoke"
docker build -q --target prebuilt --build-arg "NGINX_IMAGE=$NGINX_BASE" -t constellation/frontend:smoke frontend \
  >/tmp/constellation-smoke-frontend.log 2>&1 || { cat /tmp/constellation-smoke-frontend.log; exit 1; }
BUILT=$(date +%s)

docker network create "${P}_edge" >/dev/null
docker network create --internal "${P}_backend" >/dev/null
docker network create --internal "${P}_data" >/dev/null

REDIS_PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
# Small heaps and C1 only: six JVMs share two cores with other work here.
JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Xmx384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

# run NAME IMAGE "networks" [docker run args...]: created on the first network, then joined to the
# others under the same alias, as compose would.
run() {
  local name=$1 image=$2 networks=($3); shift 3
  docker create --name "$P-$name" --label dev.constellation.smoke=1 --network "${P}_${networks[0]}" \
    --network-alias "$name" "$@" "$image" >/dev/null
  for n in "${networks[@]:1}"; do docker network connect --alias "$name" "${P}_$n" "$P-$name"; done
  docker start "$P-$name" >/dev/null
}

run mongodb-primary constellation/mongo-wire:smoke "data"
run redis constellation/redis:smoke "data" -e "REDIS_PASSWORD=$REDIS_PASSWORD"
common=(-e SPRING_PROFILES_ACTIVE=prod -e "JWT_SECRET=$JWT_SECRET" -e "JAVA_OPTS=$JAVA_OPTS"
  -e "REDIS_URL=redis://:$REDIS_PASSWORD@redis:6379"
  -e PROJECT_SERVICE_URL=http://project-service:8002 -e WORKSPACE_SERVICE_URL=http://workspace-service:8003
  -e CLAUDE_SERVICE_URL=http://claude-service:8001)
run project-service constellation/project-service:smoke "backend data" "${common[@]}" \
  -e MONGODB_URI=mongodb://mongodb-primary:27017/constellation_projects -e WORKSPACES_ROOT=/opt/constellation/workspaces
run workspace-service constellation/workspace-service:smoke "backend data" "${common[@]}" \
  -e MONGODB_URI=mongodb://mongodb-primary:27017/constellation_workspaces -e WORKSPACES_ROOT=/opt/constellation/workspaces \
  -e WORKSPACE_RUNTIME=local
run claude-service constellation/claude-service:smoke "backend data" "${common[@]}" \
  -e MONGODB_URI=mongodb://mongodb-primary:27017/constellation_chat
run api-gateway constellation/api-gateway:smoke "edge backend data" "${common[@]}" \
  -e MONGODB_URI=mongodb://mongodb-primary:27017/constellation_auth -p "127.0.0.1:$PORT:8000"

run frontend constellation/frontend:smoke "edge" -p "127.0.0.1:$((PORT + 1)):8080"

say "waiting up to ${TIMEOUT}s for http://127.0.0.1:$PORT/api/health"
deadline=$(( $(date +%s) + TIMEOUT ))
body=""
while [ "$(date +%s)" -lt "$deadline" ]; do
  body=$(curl -s --max-time 5 "http://127.0.0.1:$PORT/api/health" || true)
  if [ -n "$body" ] && python3 - "$body" <<'PY'
import json, sys
h = json.loads(sys.argv[1])
services = h.get("services", {})
names = {"api-gateway", "project-service", "workspace-service", "claude-service"}
ok = h.get("status") in ("UP", "DEGRADED") and names <= services.keys() and all(services[n] == "UP" for n in names)
sys.exit(0 if ok else 1)
PY
  then
    say "PASS /api/health: $body"
    # The UI through nginx, and the API behind it through nginx's /api proxy.
    curl -fsS --max-time 5 "http://127.0.0.1:$((PORT + 1))/projects/any" | grep -q '<div id="root"' \
      || { say "FAIL: nginx does not serve the app with SPA fallback"; exit 1; }
    curl -fsS --max-time 5 "http://127.0.0.1:$((PORT + 1))/api/health" | grep -q '"api-gateway":"UP"' \
      || { say "FAIL: nginx does not proxy /api to the gateway"; exit 1; }
    say "PASS frontend (nginx): SPA fallback and /api proxy"
    for s in "${SERVICES[@]}"; do
      printf '  %-18s docker health: %s\n' "$s" "$(docker inspect -f '{{.State.Health.Status}}' "$P-$s")"
    done
    say "images built in $(( BUILT - START )) s; stack healthy $(( $(date +%s) - BUILT )) s after start"
    exit 0
  fi
  for c in $(docker ps -aq --filter "label=dev.constellation.smoke=1" --filter status=exited); do
    say "container $(docker inspect -f '{{.Name}}' "$c") exited"; exit 1
  done
  sleep 3
done
say "FAIL: last /api/health answer: ${body:-none}"
exit 1
