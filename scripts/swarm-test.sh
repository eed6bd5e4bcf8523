#!/usr/bin/env bash
# `make swarm-test`: the stack on a real three-node Docker Swarm, on this one machine (issue 14).
#
# Three Docker engines are the test hosts: each dockerd has its own data root, exec root (so its
# own containerd), pid file, socket (/run/cst-swarm/nodeN.sock), hostname (cst-nodeN) and network
# namespace (cst-swarm-nN, address 10.213.0.1N); the namespaces are cabled by veths to one bridge
# that lives in a namespace of its own (cst-swarm-sw), so no traffic passes the host's firewall or
# leaves the machine. node1 inits the swarm, node2 and node3 join it, each loads our locally built
# images (docker save | load: there is no registry), node1 is labelled for the data and the
# workspaces, and the stack is deployed by deploy/scripts/swarm-deploy.sh — what `make swarm-deploy`
# runs — with deploy/swarm-test.yml as a third override (stand-ins for the images that cannot be
# pulled here, and no IPVS: see that file). Then, through the gateways:
#   1. the journey: register, sign in, create a project, start its workspace, run a command;
#   1b. the workspace (a Swarm service, WORKSPACE_RUNTIME=swarm) fails over: a file is written through
#      the files API, the node its task runs on is drained, the task runs on another node, where the
#      file is read, a command runs and a terminal is typed into; the node is made active again;
#   2. a rolling update (docker service update --force) of api-gateway, project-service and
#      claude-service at once, under a small load of authenticated GET /api/projects: failed requests;
#   3. a node holding a gateway replica is drained: the tasks come back on the other nodes, under
#      the same load: failed requests.
# Each phase prints its elapsed seconds; the whole run is bounded (SWARM_TEST_LIMIT, 900 s). The
# engines, namespaces, data roots and the swarm are removed at the end, also on failure. The main
# engine (/var/run/docker.sock) is only read: it builds and keeps the images (tag swarm-test).
#   SKIP_BUILD=1     use the constellation/*:swarm-test images as they are
#   SWARM_KEEP_LOGS=0  do not print the failing services' logs on failure
set -euo pipefail
cd "$(dirname "$0")/.."
START=$(date +%s)
LIMIT=${SWARM_TEST_LIMIT:-900}
RUN=/run/cst-swarm
DATA=/var/lib/cst-swarm
SWITCH=cst-swarm-sw
NET=10.213.0                       # the test hosts' addresses: only inside our namespaces
PORT=${SWARM_TEST_PORT:-18080}
TAG=swarm-test
STACK=constellation
BASE=${SMOKE_BASE:-constellation/smoke-base:local}
WORKSPACE_IMAGE=${WORKSPACE_IMAGE:-constellation/workspace:local}
WORKSPACES=$DATA/workspaces         # the shared workspaces directory, the same path on every node
NODE_SOCKET_DIR=/run/cst-node       # empty on the host; each engine's own socket inside its namespace
SERVICES=(api-gateway project-service claude-service workspace-service)
IMAGES=("${SERVICES[@]/#/constellation/}" constellation/mongo-wire constellation/redis constellation/docker-api-filter)
IMAGES=("${IMAGES[@]/%/:$TAG}")
STATE=""
WATCHDOG=""
LOAD_PID="" STREAMS_PID=""

say() { printf '[swarm %4ds] %s\n' "$(( $(date +%s) - START ))" "$*"; }
phase() { say "== $*"; }
ns() { echo "cst-swarm-n$1"; }
dk() { local n=$1; shift; timeout 60 docker -H "unix://$RUN/node$n.sock" "$@"; }
in_ns1() { ip netns exec "$(ns 1)" env SWARM_DOCKER_SOCK="$RUN/node1.sock" SWARM_TEST_PORT="$PORT" "$@"; }

# Removes everything this script makes; safe to run when nothing (or half) was made.
teardown() {
  local n pid i
  for n in 1 2 3; do
    [ -S "$RUN/node$n.sock" ] || continue
    # Containers first, while their engine still runs, so that none outlives it.
    dk "$n" swarm leave --force >/dev/null 2>&1 || true
    dk "$n" ps -aq 2>/dev/null | xargs -r timeout 60 docker -H "unix://$RUN/node$n.sock" rm -f >/dev/null 2>&1 || true
  done
  for n in 1 2 3; do
    pid=$(cat "$RUN/node$n.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for n in 1 2 3; do
    pid=$(cat "$RUN/node$n.pid" 2>/dev/null || true)
    for i in $(seq 1 30); do { [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; } || break; sleep 1; done
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
    # Whatever still runs in the node's namespace (containerd, shims) is ours: ended by its id.
    if ip netns list | grep -qw "$(ns "$n")"; then
      ip netns pids "$(ns "$n")" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
      ip netns del "$(ns "$n")" 2>/dev/null || true
    fi
    # Containers' processes sit in cgroups under the engine's own parent.
    for d in /sys/fs/cgroup/*/cst-swarm-n"$n"; do
      [ -d "$d" ] || continue
      find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
      find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
  done
  ip netns list | grep -qw "$SWITCH" && ip netns del "$SWITCH" 2>/dev/null || true
  rm -rf "$DATA" "$RUN"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e   # the teardown must run to its end whatever fails on the way
  [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null || true
  [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null || true
  [ -n "$STREAMS_PID" ] && kill "$STREAMS_PID" 2>/dev/null || true
  if [ "$rc" != 0 ] && dk 1 info >/dev/null 2>&1; then
    dk 1 stack ps "$STACK" --no-trunc --format '{{.Name}} {{.Node}} {{.CurrentState}} {{.Error}}' 2>/dev/null | head -40 || true
    if [ "${SWARM_KEEP_LOGS:-1}" = 1 ]; then
      for s in "${SERVICES[@]}" mongodb-primary redis; do
        echo "----- $s (last 15 lines)"; dk 1 service logs --tail 15 --no-task-ids "${STACK}_$s" 2>&1 | tail -15 || true
      done
    fi
  fi
  # This kernel's lack of IPVS, in the engines' own words (docs/deployment.md quotes it).
  [ -n "$STATE" ] && { grep -ih 'ipvs' "$STATE"/dockerd*.log 2>/dev/null | sed 's/^time="[^"]*" //' | sort | uniq -c | sort -rn | head -3; }
  say "tearing down the engines, namespaces and data roots"
  teardown
  [ -n "$STATE" ] && rm -rf "$STATE"
  say "done; total $(( $(date +%s) - START )) s, exit $rc"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'say "time limit of ${LIMIT}s reached"; exit 124' TERM
# The watchdog ends its sleep when it is killed: an orphaned sleep would keep every descriptor this
# script inherited open (a caller's flock held for the rest of the limit).
( trap 'kill "$nap" 2>/dev/null; exit 0' TERM; sleep "$LIMIT" & nap=$!; wait "$nap"; kill -TERM $$ 2>/dev/null ) &
WATCHDOG=$!

for tool in ip dockerd docker docker-compose python3 unshare nsenter; do
  command -v "$tool" >/dev/null || { say "needs $tool"; exit 1; }
done
[ "$(id -u)" = 0 ] || { say "needs root (network namespaces, engines)"; exit 1; }
teardown   # leftovers of an interrupted run
STATE=$(mktemp -d /tmp/cst-swarm-state.XXXXXX)
chmod 700 "$STATE"

phase "images (main engine, tag $TAG)"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  for s in "${SERVICES[@]}"; do
    [ -f "services/$s/target/$s.jar" ] || { say "services/$s/target/$s.jar is missing: mvn install -DskipTests"; exit 1; }
  done
  EXTRA_PACKAGES=redis-server bash deploy/scripts/build-local-base.sh "$BASE" | tail -1
  ctx="$STATE/context"
  mkdir -p "$ctx/deploy" "$ctx/libs/local-stack/target"
  for s in "${SERVICES[@]}"; do mkdir -p "$ctx/services/$s/target"; cp "services/$s/target/$s.jar" "$ctx/services/$s/target/"; done
  cp libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar "$ctx/libs/local-stack/target/"
  cp deploy/service-entrypoint.sh "$ctx/deploy/"
  build() { docker build -q "$@" --build-arg "RUNTIME_IMAGE=$BASE" "$ctx" >"$STATE/build.log" 2>&1 || { cat "$STATE/build.log"; exit 1; }; }
  for s in "${SERVICES[@]}"; do
    case $s in api-gateway) p=8000 ;; claude-service) p=8001 ;; project-service) p=8002 ;; *) p=8003 ;; esac
    DOCKER_BUILDKIT=0 build -f deploy/service.Dockerfile --target prebuilt --build-arg "SERVICE=$s" \
      --build-arg "SERVICE_PORT=$p" -t "constellation/$s:$TAG"
  done
  DOCKER_BUILDKIT=0 build -f deploy/smoke/mongo-wire.Dockerfile -t "constellation/mongo-wire:$TAG"
  DOCKER_BUILDKIT=0 build -f deploy/smoke/redis.Dockerfile -t "constellation/redis:$TAG"
  # The filter compiles in an image with a JDK: the workspace image has one (no registry here).
  DOCKER_BUILDKIT=0 docker build -q --build-arg "BUILD_IMAGE=$WORKSPACE_IMAGE" --build-arg "RUNTIME_IMAGE=$BASE" \
    -t "constellation/docker-api-filter:$TAG" deploy/docker-api-filter >"$STATE/build.log" 2>&1 \
    || { cat "$STATE/build.log"; exit 1; }
  rm -rf "$ctx"
fi
docker image inspect "${IMAGES[@]}" "$WORKSPACE_IMAGE" >/dev/null
say "saving ${IMAGES[*]} $WORKSPACE_IMAGE"
docker save -o "$STATE/images.tar" "${IMAGES[@]}"
docker save -o "$STATE/workspace-image.tar" "$WORKSPACE_IMAGE"

phase "network: bridge in $SWITCH, three namespaces with veths"
ip netns add "$SWITCH"
ip -n "$SWITCH" link set lo up
ip -n "$SWITCH" link add br0 type bridge
ip -n "$SWITCH" link set br0 up
for n in 1 2 3; do
  ip netns add "$(ns "$n")"
  ip -n "$(ns "$n")" link set lo up
  ip -n "$SWITCH" link add "port$n" type veth peer name eth0 netns "$(ns "$n")"
  ip -n "$SWITCH" link set "port$n" master br0 up
  ip -n "$(ns "$n")" addr add "$NET.1$n/24" dev eth0
  ip -n "$(ns "$n")" link set eth0 up
done
# "Connection refused" is node3's answer; the ports take a moment to forward.
for i in $(seq 1 10); do
  { in_ns1 timeout 3 bash -c "exec 3<>/dev/tcp/$NET.13/1" 2>&1 || true; } | grep -q refused && break
  [ "$i" = 10 ] && { say "node1 cannot reach node3 over the bridge"; exit 1; }
  sleep 1
done

phase "engines: dockerd x3 (own data root, exec root, containerd, socket, netns)"
mkdir -p "$RUN" "$DATA" "$NODE_SOCKET_DIR"
install -d -o 1000 -g 1000 "$WORKSPACES"   # uid 1000: workspace-service and the workspaces' user
# Not the host's /etc/docker/daemon.json. no-new-privileges: Swarm (API 1.41) cannot set it per
# service, so workspaces get it from their engine (workspace-service checks, docs/deployment.md).
echo '{"no-new-privileges": true}' > "$RUN/daemon.json"
for n in 1 2 3; do
  # nsenter, not `ip netns exec`: that one mounts a fresh /sys, which hides the cgroup mounts
  # ("failed to start daemon: Devices cgroup isn't mounted"). unshare --mount keeps the engine's
  # mounts (containers' root file systems, network namespaces) private to it, so they end with it;
  # --uts: the node's name in the swarm is the engine's hostname.
  # The engine's second socket is in a tmpfs of its own mount namespace, at the path the filters
  # bind (deploy/swarm-test.yml): each node's filter reaches its own engine, never the host's.
  nsenter --net="/run/netns/$(ns "$n")" unshare --mount --uts sh -c "hostname cst-node$n && \
      mount -t tmpfs -o size=1m,mode=0755 cst-node$n $NODE_SOCKET_DIR && exec dockerd \
      --config-file $RUN/daemon.json --data-root $DATA/node$n --exec-root $RUN/exec$n \
      --pidfile $RUN/node$n.pid -H unix://$RUN/node$n.sock -H unix://$NODE_SOCKET_DIR/docker.sock --cgroup-parent /cst-swarm-n$n \
      --storage-driver overlay2 --log-level warn" >"$STATE/dockerd$n.log" 2>&1 &
done
for n in 1 2 3; do
  for i in $(seq 1 60); do dk "$n" version >/dev/null 2>&1 && break; sleep 1; done
  dk "$n" version --format "  node$n: engine {{.Server.Version}}" || { tail -20 "$STATE/dockerd$n.log"; exit 1; }
done

phase "swarm: init on node1, node2 and node3 join"
dk 1 swarm init --advertise-addr "$NET.11" --listen-addr "$NET.11:2377" --default-addr-pool 10.214.0.0/16 >/dev/null
# The join token goes to the Docker API in a request body, never on a command line.
for n in 2 3; do
  if ! JOIN_TOKEN=$(dk 1 swarm join-token -q worker) python3 - "$RUN/node$n.sock" "$NET.1$n" "$NET.11:2377" <<'PY'
import http.client, json, os, socket, sys
class Unix(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX); self.sock.settimeout(60); self.sock.connect(sys.argv[1])
c = Unix("localhost", timeout=60)
body = {"ListenAddr": sys.argv[2] + ":2377", "AdvertiseAddr": sys.argv[2], "RemoteAddrs": [sys.argv[3]],
        "JoinToken": os.environ["JOIN_TOKEN"]}
c.request("POST", "/swarm/join", json.dumps(body), {"Content-Type": "application/json"})
r = c.getresponse(); out = r.read()
sys.exit(0 if r.status == 200 else f"join: {r.status} {out[:300]!r}")
PY
  then say "node$n could not join"; exit 1; fi
done
dk 1 node update --label-add constellation.data=true --label-add constellation.workspaces=true cst-node1 >/dev/null
for n in 2 3; do dk 1 node update --label-add constellation.workspaces=true "cst-node$n" >/dev/null; done
dk 1 node ls

phase "images into each engine (docker load)"
for n in 1 2 3; do
  timeout 300 docker -H "unix://$RUN/node$n.sock" load -q -i "$STATE/images.tar" >/dev/null
  t0=$(date +%s)
  timeout 300 docker -H "unix://$RUN/node$n.sock" load -q -i "$STATE/workspace-image.tar" >/dev/null
  say "  node$n: $(dk "$n" images --format '{{.Repository}}:{{.Tag}}' | grep -c ":$TAG") images, and $WORKSPACE_IMAGE ($(( $(date +%s) - t0 )) s)"
done

phase "deploy: make swarm-deploy's script + deploy/swarm-test.yml"
env_file="$STATE/env"
bash deploy/scripts/env-generate.sh .env.example > "$env_file"
mkdir -p "$STATE/config"
# Small heaps and C1 only: eight JVMs share two cores here. With DNS round robin (no IPVS here) the
# JDK's own name cache (30 s) would keep a replaced replica's address: one second, like the gateway's.
DOCKER_HOST="unix://$RUN/node1.sock" ENV_FILE="$env_file" SWARM_EXTRA_COMPOSE=deploy/swarm-test.yml \
  RESOLVE_IMAGE=never IMAGE_TAG=$TAG SWARM_TEST_PORT=$PORT SWARM_TEST_CONFIG="$STATE/config" \
  WORKSPACES_SHARED_ROOT="$WORKSPACES" DOCKER_NODE_SOCKET="$NODE_SOCKET_DIR/docker.sock" WORKSPACE_IMAGE="$WORKSPACE_IMAGE" \
  JAVA_OPTS="-Xmx320m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Dsun.net.inetaddr.ttl=1" \
  GATEWAY_MONGODB_URI=mongodb://mongodb-primary:27017/constellation_auth \
  PROJECT_MONGODB_URI=mongodb://mongodb-primary:27017/constellation_projects \
  CLAUDE_MONGODB_URI=mongodb://mongodb-primary:27017/constellation_chat \
  WORKSPACE_MONGODB_URI=mongodb://mongodb-primary:27017/constellation_workspaces \
  bash deploy/scripts/swarm-deploy.sh 2>&1 | grep -v '^Creating\|^Updating' || true
dk 1 stack services "$STACK" --format '{{.Name}}' | grep -q api-gateway || { say "the stack was not deployed"; exit 1; }

# converged SECONDS: every service with replicas has them all running (and healthy).
converged() {
  local deadline=$(( $(date +%s) + $1 )) pending
  while [ "$(date +%s)" -lt "$deadline" ]; do
    pending=$(dk 1 service ls --filter "label=com.docker.stack.namespace=$STACK" --format '{{.Name}} {{.Replicas}}' \
      | awk '{ split($2, r, "/"); if (r[2] + 0 > 0 && r[1] != r[2]) print }')
    [ -z "$pending" ] && return 0
    sleep 5
  done
  say "not converged after $1 s:"; echo "$pending"; return 1
}
say "waiting for every replica (bounded ${SWARM_DEPLOY_TIMEOUT:-480} s)"
converged "${SWARM_DEPLOY_TIMEOUT:-480}"
say "all replicas running"
dk 1 node ls
dk 1 stack ps "$STACK" --filter desired-state=running --format 'table {{.Name}}\t{{.Node}}\t{{.CurrentState}}'
dk 1 stack services "$STACK" --format 'table {{.Name}}\t{{.Mode}}\t{{.Replicas}}'

phase "journey through the gateways"
in_ns1 python3 scripts/swarm-client.py health 240
in_ns1 python3 scripts/swarm-client.py journey "$STATE"
in_ns1 python3 scripts/swarm-client.py preview "$STATE"

# The workspace's node is drained: the engine runs its task on another node, where the file written
# before is there (the shared directory), a command runs and a terminal opens.
ws_node=$(in_ns1 python3 scripts/swarm-client.py workspace-node "$STATE")
phase "workspace failover: the journey's workspace runs on $ws_node; drain $ws_node"
in_ns1 python3 scripts/swarm-client.py write-file "$STATE"
t0=$(date +%s)
dk 1 node update --availability drain "$ws_node" >/dev/null
say "  docker node update --availability drain $ws_node"
moved=""
for i in $(seq 1 60); do
  # Only a successful answer counts (a failure prints its reason on stdout too).
  if moved=$(in_ns1 python3 scripts/swarm-client.py workspace-node "$STATE") && [ "$moved" != "$ws_node" ]; then break; fi
  moved=""; sleep 2
done
[ -n "$moved" ] || { say "the workspace did not come back on another node"; exit 1; }
say "  the workspace's task runs on $moved ($(( $(date +%s) - t0 )) s after the drain)"
in_ns1 python3 scripts/swarm-client.py after-failover "$STATE"
say "  workspace failover: $(( $(date +%s) - t0 )) s from the drain to a typed terminal"
echo "workspace failover $ws_node -> $moved: 0 failed requests" >> "$STATE/results"
dk 1 node update --availability active "$ws_node" >/dev/null

# An event stream and a terminal stay open through one gateway while the other gateway replica, a
# project-service and a claude-service replica are killed (docker kill on their nodes: a crash, not
# a drain); once Swarm has replaced them, both must still work.
phase "streams across the loss of replicas they are not on"
converged 240   # the drain above moved replicas off the workspace's node
rm -f "$STATE/streams-ready" "$STATE/streams-go"
in_ns1 python3 scripts/swarm-client.py streams "$STATE" "$STATE/streams-ready" "$STATE/streams-go" & STREAMS_PID=$!
for i in $(seq 1 120); do [ -s "$STATE/streams-ready" ] && break; sleep 0.5; done
[ -s "$STATE/streams-ready" ] || { say "the streams did not open"; exit 1; }
via=$(cat "$STATE/streams-ready")
in_ns1 python3 scripts/swarm-client.py kill-targets "$via" > "$STATE/kill-targets" || { cat "$STATE/kill-targets"; exit 1; }
while read -r node container service; do
  dk "${node#cst-node}" kill "$container" >/dev/null
  say "  docker kill of $service's task on $node (the streams run through $via)"
done < "$STATE/kill-targets"
sleep 5
converged 180
say "  every killed replica is running again"
touch "$STATE/streams-go"
wait "$STREAMS_PID"
echo "streams across the loss of other replicas (event stream and terminal kept): 0 failed requests" >> "$STATE/results"

# under_load TITLE MAX_SECONDS COMMAND...: the load runs while COMMAND does (and 5 s after it).
under_load() {
  local title=$1 max=$2 failed; shift 2
  rm -f "$STATE/stop"
  in_ns1 python3 scripts/swarm-client.py load "$STATE" "$max" "$STATE/stop" >"$STATE/load.out" 2>&1 & LOAD_PID=$!
  local rc=0
  "$@" || rc=$?
  sleep 5; touch "$STATE/stop"; wait "$LOAD_PID" || true; LOAD_PID=""
  sed 's/^/  /' "$STATE/load.out"
  failed=$(sed -n 's/^load: [0-9]* requests, \([0-9]*\) failed.*/\1/p' "$STATE/load.out")
  echo "$title: ${failed:-?} failed requests" >> "$STATE/results"
  return "$rc"
}

# updated SECONDS SERVICE...: each service's rolling update has completed.
updated() {
  local deadline=$(( $(date +%s) + $1 )) s state all; shift
  while [ "$(date +%s)" -lt "$deadline" ]; do
    all=1
    for s in "$@"; do
      state=$(dk 1 service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "${STACK}_$s")
      case $state in completed) ;; rollback_*|paused) say "$s: update $state"; return 1 ;; *) all=0 ;; esac
    done
    [ "$all" = 1 ] && return 0
    sleep 5
  done
  say "updates not completed after $1 s"; return 1
}
rolling_update() {
  local s
  for s in api-gateway project-service claude-service; do
    dk 1 service update --force --detach "${STACK}_$s" >/dev/null
    say "  docker service update --force ${STACK}_$s"
  done
  updated "${SWARM_UPDATE_TIMEOUT:-420}" api-gateway project-service claude-service
  say "  updates completed"
}
phase "rolling update of api-gateway, project-service, claude-service under load"
under_load "rolling update" 600 rolling_update
dk 1 stack ps "$STACK" --filter desired-state=running --format 'table {{.Name}}\t{{.Node}}\t{{.CurrentState}}'

# back_off NODE: the replicated services have all their replicas running, none of them on NODE.
back_off() {
  local s want have
  for s in api-gateway project-service claude-service; do
    want=$(dk 1 service inspect -f '{{.Spec.Mode.Replicated.Replicas}}' "${STACK}_$s")
    have=$(dk 1 service ps "${STACK}_$s" --filter desired-state=running --format '{{.Node}} {{.CurrentState}}' \
      | grep -v "^$1 " | grep -c ' Running' || true)
    [ "$have" -ge "$want" ] || return 1
  done
}
drain() {
  local victim=$1
  dk 1 node update --availability drain "$victim" >/dev/null
  say "  docker node update --availability drain $victim"
  local deadline=$(( $(date +%s) + ${SWARM_DRAIN_TIMEOUT:-300} )) left
  while [ "$(date +%s)" -lt "$deadline" ]; do
    sleep 5
    left=$(dk 1 node ps "$victim" --filter desired-state=running -q 2>/dev/null | wc -l)
    if [ "$left" = 0 ] && back_off "$victim"; then say "  every replica is running again, none on $victim"; return 0; fi
  done
  say "  not back after the drain"; return 1
}
victim=$(dk 1 service ps "${STACK}_api-gateway" --filter desired-state=running --format '{{.Node}}' | grep -v cst-node1 | head -1)
[ -n "$victim" ] || { say "no gateway replica outside node1 to drain"; exit 1; }
phase "drain $victim (holds: $(dk 1 node ps "$victim" --filter desired-state=running --format '{{.Name}}' | sed 's/\.[0-9]*$//' | tr '\n' ' ')) under load"
under_load "drain of $victim" 400 drain "$victim"
dk 1 node ls
dk 1 stack ps "$STACK" --filter desired-state=running --format 'table {{.Name}}\t{{.Node}}\t{{.CurrentState}}'
in_ns1 python3 scripts/swarm-client.py health 60

phase "results"
cat "$STATE/results"
if grep -qv ': 0 failed requests$' "$STATE/results"; then say "FAIL: requests failed"; exit 1; fi
say "PASS"
