#!/usr/bin/env bash
# make db-restore BACKUP_DIR=backups/mongodb-...: restores a backup of either mode into the running
# stack. Each collection in the backup replaces the one in the database (mongorestore --drop);
# collections not in the backup are left alone. Project files in workspaces.tar.gz are extracted
# over the workspaces directory (files created since the backup stay).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DIR=${1:?usage: db-restore.sh BACKUP_DIR}
[ -d "$DIR" ] || { echo "$DIR is not a directory" >&2; exit 2; }
ls -d "$DIR"/*/ >/dev/null 2>&1 || { echo "$DIR holds no database folders: not a backup" >&2; exit 2; }
DIR=$(cd "$DIR" && pwd)
MONGO=$(mongo_container)
if [ -n "$MONGO" ]; then
  TMP=/tmp/constellation-restore-$$
  echo "Docker stack: mongorestore --drop in $MONGO"
  docker exec "$MONGO" mkdir -p "$TMP"
  for db in "$DIR"/*/; do docker cp "$db" "$MONGO:$TMP/"; done
  docker exec "$MONGO" sh -c "mongorestore --quiet --drop --username root --password \"\$MONGO_INITDB_ROOT_PASSWORD\" \
    --authenticationDatabase admin --nsExclude 'config.*' --nsExclude 'local.*' --dir $TMP; rc=\$?; rm -rf $TMP; exit \$rc"
  if [ -f "$DIR/workspaces.tar.gz" ]; then
    if [ -d "${WORKSPACES_HOST_DIR:-/opt/constellation/workspaces}" ] && [ -w "${WORKSPACES_HOST_DIR:-/opt/constellation/workspaces}" ]; then
      tar -xzf "$DIR/workspaces.tar.gz" -C "${WORKSPACES_HOST_DIR:-/opt/constellation/workspaces}"
    else
      # shellcheck disable=SC2086
      $COMPOSE $COMPOSE_FILES exec -T --index=1 project-service tar -xzf - -C /opt/constellation/workspaces < "$DIR/workspaces.tar.gz"
    fi
  fi
else
  echo "local stack: $LOCAL_MONGO_URI"
  mongo_tool restore --in "$DIR"
  if [ -f "$DIR/workspaces.tar.gz" ]; then
    mkdir -p "$DATA_DIR/workspaces"
    tar -xzf "$DIR/workspaces.tar.gz" -C "$DATA_DIR/workspaces"
  fi
fi
echo "restored from $DIR; restart the services if they cache data: make restart (Docker) or Ctrl-C and make run"
