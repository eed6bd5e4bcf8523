#!/usr/bin/env bash
# Checks the compose files:
#  1. without any tool: no password, secret or key falls back to a default (`${X_PASSWORD:-admin}`),
#     no literal admin password, no Prometheus lifecycle API, the Docker socket only mounted into
#     the socket proxy, and workspace-service talking to Docker only through docker-api-filter;
#  2. with Debian's docker-compose: docker-compose.yml with each override (dev, prod) is valid with
#     an env file of generated secrets as `make dev-setup` writes one, and is refused when the
#     Grafana admin password is missing. This part skips without docker-compose, unless REQUIRE_DOCKER=1.
set -euo pipefail
cd "$(dirname "$0")/.."
compose_files=(docker-compose.yml docker-compose.dev.yml docker-compose.prod.yml)
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
# The socket may be mounted only into the socket proxies (the filter sits in front of the one that writes).
socket_users=$(awk '/^  [a-z0-9-]+:$/ { svc=$1 } /docker\.sock/ { print FILENAME ":" svc }' "${compose_files[@]}" | sort -u)
for user in $socket_users; do
  case "$user" in
    *:docker-socket-proxy: | *:traefik-docker-proxy:) ;;
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
if [ "${#failures[@]}" -gt 0 ]; then
  printf 'compose: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "compose: no default passwords, no lifecycle API, socket behind the filter, durable Redis and MongoDB settings, 30 s stop grace"

if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "${REQUIRE_DOCKER:-}" = 1 ]; then echo "compose: docker-compose not found and REQUIRE_DOCKER=1" >&2; exit 1; fi
  echo "compose: docker-compose not found; skipping validation (apt-get install docker-compose)"; exit 0
fi
env_file=$(mktemp); no_grafana=$(mktemp); trap 'rm -f "$env_file" "$no_grafana"' EXIT
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
