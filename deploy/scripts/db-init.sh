#!/usr/bin/env bash
# make db-init.
#  Docker stack: runs the mongodb-init container again (deploy/mongodb/init.js): initiates the
#    replica set rs0 if needed and creates or updates one user per service with readWrite on its
#    own database only, with the passwords in .env. Idempotent.
#  Local stack (`make run`, or its data directory when stopped): the embedded MongoDB-wire server has
#    no users and no replica set, so this only checks that the database answers and lists each
#    database, its collections, document counts and indexes.
#  Indexes are created by each service at start in both modes (auto-index-creation), not here.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ -n "$(mongo_container)" ]; then
  echo "Docker stack: replica set rs0 and service users"
  # shellcheck disable=SC2086
  $COMPOSE $COMPOSE_FILES run --rm --no-deps mongodb-init
else
  echo "local stack: checking $LOCAL_MONGO_URI"
  mongo_tool check
fi
