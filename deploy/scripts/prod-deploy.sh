#!/usr/bin/env bash
# make prod-deploy: the Docker stack with docker-compose.prod.yml on this server.
#  1. checks .env: DOMAIN, ACME_EMAIL and no placeholder or short secret (the services would refuse
#     to start on them anyway, but later and less clearly);
#  2. prepares /opt/constellation/{data/{mongodb,redis,ssl,prometheus,grafana},config,workspaces};
#  3. records COMPOSE_FILE in .env so that every later make target (logs, status, down, db-backup…)
#     uses the production files too;
#  4. builds the images, starts the stack and waits for the gateway's /api/health.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f .env ] || { echo ".env is missing: cp .env.example .env (or make dev-setup) and edit it" >&2; exit 1; }
set -a; . ./.env; set +a
COMPOSE=${COMPOSE:-docker-compose}

problems=()
[ -n "${DOMAIN:-}" ] && [ "$DOMAIN" != constellation.yourdomain.com ] || problems+=("DOMAIN is not set to your domain")
[ -n "${ACME_EMAIL:-}" ] && [ "$ACME_EMAIL" != your-email@domain.com ] || problems+=("ACME_EMAIL is not set (Let's Encrypt needs it)")
[ "${#JWT_SECRET}" -ge 32 ] 2>/dev/null || problems+=("JWT_SECRET must be at least 32 characters")
for v in MONGODB_ROOT_PASSWORD MONGODB_AUTH_PASSWORD MONGODB_PROJECT_PASSWORD MONGODB_CLAUDE_PASSWORD \
         MONGODB_WORKSPACE_PASSWORD REDIS_PASSWORD GRAFANA_ADMIN_PASSWORD JWT_SECRET; do
  value=${!v:-}
  if [ -z "$value" ]; then problems+=("$v is empty")
  elif [[ "$value" == *change_me* || "$value" == *your_jwt_secret* ]]; then problems+=("$v is still the example placeholder")
  elif [[ "$v" != JWT_SECRET && "$value" =~ [^A-Za-z0-9._~-] ]]; then problems+=("$v has characters that break URIs; use letters and digits (openssl rand -hex 24)")
  fi
done
if [ "${#problems[@]}" -gt 0 ]; then
  printf 'not deploying:\n'; printf '  - %s\n' "${problems[@]}"
  echo "make dev-setup writes random values into a fresh .env; then set DOMAIN, ACME_EMAIL and ANTHROPIC_API_KEY."
  exit 1
fi

sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
sudo_if_needed mkdir -p /opt/constellation/data/{mongodb,redis,ssl,prometheus,grafana} /opt/constellation/config /opt/constellation/workspaces
# Owners as the images run: services uid 1000, mongod 999, redis 999, prometheus 65534, grafana 472.
sudo_if_needed chown 1000:1000 /opt/constellation/workspaces
sudo_if_needed chown 999:999 /opt/constellation/data/mongodb /opt/constellation/data/redis
sudo_if_needed chown 65534:65534 /opt/constellation/data/prometheus
sudo_if_needed chown 472:472 /opt/constellation/data/grafana
[ -d config ] && cp -rn config/. /opt/constellation/config/ 2>/dev/null || true

if ! grep -q '^COMPOSE_FILE=' .env; then
  printf '\n# Written by make prod-deploy: every docker-compose and make command uses the production files.\nCOMPOSE_FILE=docker-compose.yml:docker-compose.prod.yml\n' >> .env
fi
export COMPOSE_FILE=docker-compose.yml:docker-compose.prod.yml

$COMPOSE config -q
$COMPOSE build
$COMPOSE up -d --remove-orphans
echo "waiting for the gateway…"
for _ in $(seq 1 60); do
  if $COMPOSE exec -T --index=1 api-gateway curl -fsS --max-time 5 http://127.0.0.1:8000/api/health 2>/dev/null; then
    echo; echo "deployed: https://$DOMAIN  (API https://api.$DOMAIN)"; exit 0
  fi
  sleep 5
done
echo "the gateway did not report healthy within 5 minutes: make logs" >&2
exit 1
