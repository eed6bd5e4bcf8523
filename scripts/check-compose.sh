#!/usr/bin/env bash
# Checks the compose files:
#  1. without any tool: no password, secret or key falls back to a default (`${X_PASSWORD:-admin}`),
#     no literal admin password, no Prometheus lifecycle API, the Docker socket only mounted into
#     the socket proxy, workspace-service talking to Docker only through docker-api-filter, and the
#     gateway's DNS round robin (GATEWAY_SERVICE_DNS_ROUND_ROBIN) in the swarm file only;
#  2. with Debian's docker-compose: docker-compose.yml with each override (dev, prod) is valid with
#     an env file of generated secrets as `make dev-setup` writes one, and is refused when the
#     Grafana admin password is missing. This part skips without docker-compose, unless REQUIRE_DOCKER=1;
#  3. the Swarm override (docker-compose.swarm.yml, issue 14), as `make swarm-deploy` renders it
#     (docker-compose config | deploy/scripts/swarm-stack.py): no secret value anywhere in the
#     services' specs, the replicas, start-first rolling updates with rollback, workspace-service
#     pinned to a labelled node, internal overlay networks for data, the gateway's DNS round robin
#     on; `docker stack config` (the docker CLI, no engine needed) accepts it when the CLI is there.
#     And deploy/service-entrypoint.sh turns secret files into variables.
set -euo pipefail
cd "$(dirname "$0")/.."
compose_files=(docker-compose.yml docker-compose.dev.yml docker-compose.prod.yml docker-compose.swarm.yml)
failures=()

# A default after :- for a secret-looking variable is a default password.
if hits=$(grep -nE '^[^#]*\$\{[A-Z0-9_]*(PASSWORD|SECRET|TOKEN|API_KEY):?-[^}]' "${compose_files[@]}"); then
  failures+=("secrets with a default value:"$'\n'"$hits")
fi
if hits=$(grep -nE '^[^#]*_PASSWORD:[[:space:]]*"?[A-Za-z0-9]' "${compose_files[@]}" | grep -v '\${'); then
  failures+=("literal passwords:"$'\n'"$hits")
fi
if hits=$(grep -nE -- '^[^#]*--web\.enable-(lifecycle|admin-api)' "${compose_files[@]}"); then
  failures+=("Prometheus lifecycle/admin API enabled:"$'\n'"$hits")
fi
# The socket may be mounted only into the socket proxies (the filter sits in front of the one that
# writes), and in Swarm into docker-node-filter: one task per node cannot be paired with a proxy on
# the same node, so that filter allowlists the API's paths itself (DockerApiFilter.java).
socket_users=$(awk '/^  [a-z0-9-]+:$/ { svc=$1 } /docker\.sock/ { print FILENAME ":" svc }' "${compose_files[@]}" | sort -u)
for user in $socket_users; do
  case "$user" in
    *:docker-socket-proxy: | *:traefik-docker-proxy: | docker-compose.swarm.yml:docker-node-filter:) ;;
    *) failures+=("the Docker socket is mounted into $user") ;;
  esac
done
if ! grep -qE '^\s+DOCKER_HOST: tcp://docker-api-filter:2375' docker-compose.yml; then
  failures+=("workspace-service must reach Docker through docker-api-filter (DOCKER_HOST)")
fi
# Durability and draining, stated rather than left to defaults (docs/operations.md, "Durability").
if ! grep -qE '^[^#]*redis-server[^#]*--appendonly yes[^#]*--appendfsync everysec' docker-compose.yml; then
  failures+=("redis must run with --appendonly yes --appendfsync everysec")
fi
for svc in api-gateway project-service claude-service workspace-service; do
  uri=$(awk -v s="  $svc:" '$0==s {in_svc=1; next} /^  [a-z0-9-]+:$/ {in_svc=0} in_svc && /MONGODB_URI:/ {print}' docker-compose.yml)
  for option in w=majority journal=true wtimeoutMS=5000 serverSelectionTimeoutMS=3000; do
    case "$uri" in
      *"[?&]$option"*|*"&$option"*|*"?$option"*) ;;
      *) failures+=("$svc: MONGODB_URI lacks $option") ;;
    esac
  done
done
if ! awk '/^x-service: &service/ {in_anchor=1; next} /^[^ ]/ {in_anchor=0} in_anchor && /^  stop_grace_period: 30s/ {found=1} END {exit !found}' docker-compose.yml; then
  failures+=("the services' anchor must set stop_grace_period: 30s (above SHUTDOWN_TIMEOUT)")
fi
if ! grep -qE '^  SHUTDOWN_TIMEOUT: ' docker-compose.yml; then
  failures+=("the services' environment must set SHUTDOWN_TIMEOUT")
fi
# The gateway's DNS re-resolution and round robin is for Swarm only (ServiceAddressesConfiguration).
if hits=$(grep -nE '^[^#]*GATEWAY_SERVICE_DNS_ROUND_ROBIN' docker-compose.yml docker-compose.dev.yml docker-compose.prod.yml); then
  failures+=("GATEWAY_SERVICE_DNS_ROUND_ROBIN belongs in docker-compose.swarm.yml only:"$'\n'"$hits")
fi
if [ "${#failures[@]}" -gt 0 ]; then
  printf 'compose: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "compose: no default passwords, no lifecycle API, socket behind the filter, durable Redis and MongoDB settings, 30 s stop grace"

if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "${REQUIRE_DOCKER:-}" = 1 ]; then echo "compose: docker-compose not found and REQUIRE_DOCKER=1" >&2; exit 1; fi
  echo "compose: docker-compose not found; skipping validation (apt-get install docker-compose)"; exit 0
fi
# The service images' entry point: /run/secrets/NAME becomes NAME, a lone newline an empty value,
# other file names are no variables; the command given replaces java.
secrets_dir=$(mktemp -d); trap 'rm -rf "$secrets_dir"' EXIT
printf 'from-secret' > "$secrets_dir/JWT_SECRET"; printf '\n' > "$secrets_dir/ANTHROPIC_API_KEY"
printf 'x' > "$secrets_dir/lower.case"
entry_env=$(JWT_SECRET=from-environment ANTHROPIC_API_KEY=old SECRETS_DIR="$secrets_dir" sh deploy/service-entrypoint.sh env)
grep -qx 'JWT_SECRET=from-secret' <<<"$entry_env" && grep -qx 'ANTHROPIC_API_KEY=' <<<"$entry_env" \
  && ! grep -q '^lower' <<<"$entry_env" \
  || { echo "compose: deploy/service-entrypoint.sh does not turn secret files into variables" >&2; exit 1; }
echo "compose: the service entry point reads Docker secrets"

env_file=$(mktemp); no_grafana=$(mktemp); stack=$(mktemp)
trap 'rm -rf "$secrets_dir" "$env_file" "$no_grafana" "$stack"' EXIT
bash deploy/scripts/env-generate.sh .env.example > "$env_file"
for override in "" docker-compose.dev.yml docker-compose.prod.yml; do
  files=(-f docker-compose.yml); [ -n "$override" ] && files+=(-f "$override")
  docker-compose --env-file "$env_file" "${files[@]}" config -q
  echo "compose: docker-compose.yml${override:+ + $override} valid"
done
grep -v '^GRAFANA_ADMIN_PASSWORD=' "$env_file" > "$no_grafana"
if env -u GRAFANA_ADMIN_PASSWORD docker-compose --env-file "$no_grafana" -f docker-compose.yml config -q 2>/dev/null; then
  echo "compose: docker-compose.yml accepted an .env without GRAFANA_ADMIN_PASSWORD (a default password?)" >&2
  exit 1
fi
echo "compose: refused without GRAFANA_ADMIN_PASSWORD"

# Swarm: rendered as swarm-deploy.sh renders it, with a generated .env that has every optional key too.
{ cat "$env_file"; echo "ANTHROPIC_API_KEY=sk-test-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "SETUP_TOKEN=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "GIT_CREDENTIALS_KEY=$(head -c 24 /dev/urandom | base64 | tr -d '\n')"; } > "$env_file.swarm"
trap 'rm -rf "$secrets_dir" "$env_file" "$env_file.swarm" "$no_grafana" "$stack"' EXIT
docker-compose --env-file "$env_file.swarm" -f docker-compose.yml -f docker-compose.swarm.yml config \
  | python3 deploy/scripts/swarm-stack.py > "$stack" 2>/dev/null
python3 - "$stack" "$env_file.swarm" <<'PY'
import sys, yaml
stack = yaml.safe_load(open(sys.argv[1]))
text = open(sys.argv[1]).read()
secret_names = ("PASSWORD", "SECRET", "API_KEY", "SETUP_TOKEN", "CREDENTIALS_KEY")
values = {}
for line in open(sys.argv[2]):
    key, _, value = line.strip().partition("=")
    if any(n in key for n in secret_names) and len(value) >= 8:
        values[key] = value
problems = [f"the value of {k} is in the stack's specs" for k, v in values.items() if v in text]
services = stack["services"]
def deploy(name): return services[name].get("deploy", {})
for name, want in {"api-gateway": 2, "project-service": 2, "claude-service": 2, "workspace-service": 1}.items():
    d = deploy(name)
    if d.get("replicas") != want:
        problems.append(f"{name}: replicas {d.get('replicas')}, expected {want}")
    if not services[name].get("secrets"):
        problems.append(f"{name}: no Docker secrets")
for name in ("api-gateway", "project-service", "claude-service"):
    u = deploy(name).get("update_config", {})
    if u.get("order") != "start-first" or u.get("failure_action") != "rollback":
        problems.append(f"{name}: update_config {u}, expected start-first with rollback")
    if deploy(name).get("restart_policy", {}).get("condition") != "any":
        problems.append(f"{name}: no restart policy")
gateway_env = services["api-gateway"].get("environment", {})
if isinstance(gateway_env, list):
    gateway_env = dict(e.partition("=")[::2] for e in gateway_env)
if str(gateway_env.get("GATEWAY_SERVICE_DNS_ROUND_ROBIN", "")).lower() != "true":
    problems.append("api-gateway: GATEWAY_SERVICE_DNS_ROUND_ROBIN is not true (replicas behind dnsrr names)")
if "node.labels.constellation.workspaces == true" not in deploy("workspace-service").get("placement", {}).get("constraints", []):
    problems.append("workspace-service is not pinned to the node labelled constellation.workspaces")
# Workspaces as Swarm services, reaching every Docker API only through a filter.
ws_env = services["workspace-service"].get("environment", {})
for key, want in {"WORKSPACE_RUNTIME": "swarm", "DOCKER_HOST": "tcp://docker-api-filter:2375",
                  "WORKSPACE_SWARM_NODE_ENGINES": "dns:tasks.docker-node-filter:2375"}.items():
    if str(ws_env.get(key)) != want:
        problems.append(f"workspace-service: {key}={ws_env.get(key)!r}, expected {want!r}")
node_filter = services.get("docker-node-filter", {})
if node_filter.get("deploy", {}).get("mode") != "global":
    problems.append("docker-node-filter: not one task per workspace node (deploy.mode global)")
for name in ("docker-api-filter", "docker-node-filter"):
    svc = services.get(name, {})
    if svc.get("cap_drop") != ["ALL"] or not svc.get("read_only"):
        problems.append(f"{name}: not read-only with every capability dropped")
if "node.role == manager" not in deploy("docker-api-filter").get("placement", {}).get("constraints", []):
    problems.append("docker-api-filter: not on a manager (service placement needs a manager's API)")
for name, net in stack["networks"].items():
    if net.get("driver") != "overlay":
        problems.append(f"network {name} is not an overlay")
for name in ("backend", "data", "docker-api", "docker-socket", "traefik-docker-api"):
    if not stack["networks"][name].get("internal"):
        problems.append(f"network {name} is not internal")
base = yaml.safe_load(open("docker-compose.yml"))["networks"]
for name, net in base.items():
    if stack["networks"][name].get("name") != net.get("name"):
        problems.append(f"network {name} lost its name {net.get('name')}")
    if net.get("ipam") and stack["networks"][name].get("ipam") != net["ipam"]:
        problems.append(f"network {name} lost its subnet")
for name, svc in services.items():
    for key in ("depends_on", "build", "restart"):
        if key in svc:
            problems.append(f"{name}: {key} left for docker stack deploy")
    for port in svc.get("ports", []):
        if "127.0.0.1" in str(port):
            problems.append(f"{name}: a loopback port Swarm would publish on every address")
if problems:
    print("compose: docker-compose.swarm.yml:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
PY
echo "compose: docker-compose.yml + docker-compose.swarm.yml: no secret in the specs, replicas, start-first updates, placement, overlays, the gateway's DNS round robin, workspaces as services behind the filters"
if docker stack config --help >/dev/null 2>&1; then
  docker stack config -c "$stack" >/dev/null
  echo "compose: docker stack config accepts the rendered swarm stack"
fi
