#!/usr/bin/env bash
# make db-backup: writes backups/mongodb-YYYYmmdd_HHMMSS/ in mongodump's layout (one folder per
# database; <collection>.bson + <collection>.metadata.json) plus workspaces.tar.gz with the project
# files. Docker stack: mongodump inside the MongoDB container (all databases, users included).
# Local stack: our MongoBackup tool (application databases). Either restores into the other.
# BACKUP_ROOT (default ./backups) chooses where.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
OUT=${BACKUP_ROOT:-backups}/mongodb-$(date +%Y%m%d_%H%M%S)
mkdir -p "$OUT"
MONGO=$(mongo_container)
if [ -n "$MONGO" ]; then
  TMP=/tmp/constellation-backup-$$
  echo "Docker stack: mongodump in $MONGO"
  docker exec "$MONGO" sh -c "mongodump --quiet --username root --password \"\$MONGO_INITDB_ROOT_PASSWORD\" \
    --authenticationDatabase admin --out $TMP"
  docker cp "$MONGO:$TMP/." "$OUT/"
  docker exec "$MONGO" rm -rf "$TMP"
  if [ -d "${WORKSPACES_HOST_DIR:-/opt/constellation/workspaces}" ] && [ -r "${WORKSPACES_HOST_DIR:-/opt/constellation/workspaces}" ]; then
    tar -czf "$OUT/workspaces.tar.gz" -C "${WORKSPACES_HOST_DIR:-/opt/constellation/workspaces}" .
  else
    # shellcheck disable=SC2086
    $COMPOSE $COMPOSE_FILES exec -T --index=1 project-service tar -czf - -C /opt/constellation/workspaces . > "$OUT/workspaces.tar.gz"
  fi
else
  echo "local stack: $LOCAL_MONGO_URI"
  mongo_tool backup --out "$OUT"
  if [ -d "$DATA_DIR/workspaces" ]; then tar -czf "$OUT/workspaces.tar.gz" -C "$DATA_DIR/workspaces" .; fi
fi
echo "backup written to $OUT ($(du -sh "$OUT" | cut -f1))"
