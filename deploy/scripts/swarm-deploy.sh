#!/usr/bin/env bash
# `make swarm-deploy`: deploys the stack on the swarm of the current Docker engine (DOCKER_HOST):
# creates the Docker secrets from .env (deploy/scripts/swarm-secrets.sh), merges docker-compose.yml
# with docker-compose.swarm.yml the way `make up` merges its files (docker-compose config), drops
# what Swarm refuses (deploy/scripts/swarm-stack.py says why) and runs `docker stack deploy -c -`.
#   ENV_FILE=.env               where the passwords are
#   SWARM_STACK=constellation   the stack's name (the base file fixes the networks' names to constellation_*)
#   SWARM_EXTRA_COMPOSE="f.yml" more override files, after the two (scripts/swarm-test.sh adds its own)
#   RESOLVE_IMAGE=always        docker stack deploy --resolve-image; `never` for images built on the nodes
set -euo pipefail
cd "$(dirname "$0")/../.."
STACK=${SWARM_STACK:-constellation}
ENV_FILE=${ENV_FILE:-.env}
[ -f "$ENV_FILE" ] || { echo "swarm-deploy: no $ENV_FILE (make dev-setup makes one)" >&2; exit 1; }
state=$(docker info --format '{{.Swarm.LocalNodeState}}')
[ "$state" = active ] || { echo "swarm-deploy: this engine is not in a swarm ($state): docker swarm init, see docs/deployment.md" >&2; exit 1; }
command -v docker-compose >/dev/null || { echo "swarm-deploy: needs docker-compose (apt-get install docker-compose)" >&2; exit 1; }

# .env into this process's environment, for swarm-secrets.sh (read line by line: values may hold spaces).
while IFS= read -r line || [ -n "$line" ]; do
  case $line in '' | '#'*) continue ;; [A-Za-z_]*=*) export "${line%%=*}=${line#*=}" ;; esac
done < "$ENV_FILE"
bash deploy/scripts/swarm-secrets.sh

files=(-f docker-compose.yml -f docker-compose.swarm.yml)
for f in ${SWARM_EXTRA_COMPOSE:-}; do files+=(-f "$f"); done
docker-compose --env-file "$ENV_FILE" "${files[@]}" config \
  | python3 deploy/scripts/swarm-stack.py \
  | docker stack deploy --resolve-image "${RESOLVE_IMAGE:-always}" --prune -c - "$STACK"
