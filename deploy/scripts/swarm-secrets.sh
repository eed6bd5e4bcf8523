#!/usr/bin/env bash
# Creates the Docker secrets that docker-compose.swarm.yml names (external: constellation_*) from
# the variables of .env, which the caller has exported (deploy/scripts/swarm-deploy.sh does).
# Each value goes to `docker secret create NAME -` on stdin: never on a command line or in a log.
# A secret that exists already is kept (Docker secrets cannot change; to rotate one, remove the
# stack, `docker secret rm` it and deploy again). The MongoDB URIs are built from the passwords
# unless GATEWAY_MONGODB_URI, PROJECT_MONGODB_URI, CLAUDE_MONGODB_URI or WORKSPACE_MONGODB_URI
# are given (scripts/swarm-test.sh gives plain URIs for its MongoDB stand-in).
set -euo pipefail
: "${JWT_SECRET:?JWT_SECRET is not set (make dev-setup writes .env)}"
: "${REDIS_PASSWORD:?REDIS_PASSWORD is not set}"
: "${MONGODB_ROOT_PASSWORD:?MONGODB_ROOT_PASSWORD is not set}"
: "${GRAFANA_ADMIN_PASSWORD:?GRAFANA_ADMIN_PASSWORD is not set}"
for v in MONGODB_AUTH_PASSWORD MONGODB_PROJECT_PASSWORD MONGODB_CLAUDE_PASSWORD MONGODB_WORKSPACE_PASSWORD; do
  [ -n "${!v:-}" ] || { echo "swarm-secrets: $v is not set" >&2; exit 1; }
done
uri() { # uri USER PASSWORD DATABASE
  printf 'mongodb://%s:%s@mongodb-primary:27017/%s?replicaSet=rs0&authSource=%s' "$1" "$2" "$3" "$3"
}

created=0 kept=0
secret() { # secret NAME VALUE: an empty value is stored as one newline (Docker refuses empty secrets;
           # deploy/service-entrypoint.sh reads it back as empty)
  local name=constellation_$1 value=$2
  if docker secret inspect "$name" >/dev/null 2>&1; then kept=$((kept + 1)); return; fi
  if [ -z "$value" ]; then value=$'\n'; fi
  printf '%s' "$value" | docker secret create --label dev.constellation.stack=1 "$name" - >/dev/null
  created=$((created + 1))
}
secret jwt_secret "$JWT_SECRET"
secret redis_password "$REDIS_PASSWORD"
secret redis_url "${REDIS_URL_SECRET:-redis://:$REDIS_PASSWORD@redis:6379}"
secret gateway_mongodb_uri "${GATEWAY_MONGODB_URI:-$(uri api_gateway "$MONGODB_AUTH_PASSWORD" constellation_auth)}"
secret project_mongodb_uri "${PROJECT_MONGODB_URI:-$(uri project_service "$MONGODB_PROJECT_PASSWORD" constellation_projects)}"
secret claude_mongodb_uri "${CLAUDE_MONGODB_URI:-$(uri claude_service "$MONGODB_CLAUDE_PASSWORD" constellation_chat)}"
secret workspace_mongodb_uri "${WORKSPACE_MONGODB_URI:-$(uri workspace_service "$MONGODB_WORKSPACE_PASSWORD" constellation_workspaces)}"
secret mongodb_root_password "$MONGODB_ROOT_PASSWORD"
secret mongodb_auth_password "$MONGODB_AUTH_PASSWORD"
secret mongodb_project_password "$MONGODB_PROJECT_PASSWORD"
secret mongodb_claude_password "$MONGODB_CLAUDE_PASSWORD"
secret mongodb_workspace_password "$MONGODB_WORKSPACE_PASSWORD"
secret anthropic_api_key "${ANTHROPIC_API_KEY:-}"
secret git_credentials_key "${GIT_CREDENTIALS_KEY:-}"
secret setup_token "${SETUP_TOKEN:-}"
secret grafana_admin_password "$GRAFANA_ADMIN_PASSWORD"
echo "swarm-secrets: $created created, $kept already there"
