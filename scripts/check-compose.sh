#!/usr/bin/env bash
# Validates docker-compose.yml with each override (dev, prod) using Debian's docker-compose, with
# an env file of generated secrets as `make dev-setup` writes one. Skips without docker-compose,
# unless REQUIRE_DOCKER=1.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "${REQUIRE_DOCKER:-}" = 1 ]; then echo "compose: docker-compose not found and REQUIRE_DOCKER=1" >&2; exit 1; fi
  echo "compose: docker-compose not found; skipping (apt-get install docker-compose)"; exit 0
fi
env_file=$(mktemp); trap 'rm -f "$env_file"' EXIT
bash deploy/scripts/env-generate.sh .env.example > "$env_file"
for override in "" docker-compose.dev.yml docker-compose.prod.yml; do
  files=(-f docker-compose.yml); [ -n "$override" ] && files+=(-f "$override")
  docker-compose --env-file "$env_file" "${files[@]}" config -q
  echo "compose: docker-compose.yml${override:+ + $override} valid"
done
