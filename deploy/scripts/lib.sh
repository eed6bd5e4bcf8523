# Shared by the db-*.sh scripts: which stack is running, and how to reach its database.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
# .env as `make run` reads it: settings already in the environment win over the file.
if [ -f .env ]; then
  while IFS='=' read -r key value; do
    [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    [ -n "${!key+x}" ] || export "$key=$value"
  done < .env
fi
COMPOSE=${COMPOSE:-docker-compose}
COMPOSE_FILES=${COMPOSE_FILES:--f docker-compose.yml}
DATA_DIR=${CONSTELLATION_DATA_DIR:-./data}
LAUNCHER=libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar
LOCAL_MONGO_URI=${LOCAL_MONGO_URI:-mongodb://127.0.0.1:${LOCAL_MONGO_PORT:-27018}/}

# The id of the running MongoDB container of the Docker stack, or nothing (= local mode).
mongo_container() {
  command -v docker >/dev/null || return 0
  # shellcheck disable=SC2086
  $COMPOSE $COMPOSE_FILES ps -q mongodb-primary 2>/dev/null | head -1 | while read -r id; do
    [ "$(docker inspect -f '{{.State.Running}}' "$id" 2>/dev/null)" = true ] && echo "$id"
  done || true
}

# Our backup tool (libs/local-stack MongoBackup), built on first use.
mongo_tool() {
  if [ ! -f "$LAUNCHER" ]; then
    echo "building the local-stack launcher (mvn -o install -pl libs/local-stack -am)"
    mvn -B -q -o install -DskipTests -pl libs/local-stack -am
  fi
  java -cp "$LAUNCHER" -Dloader.main=dev.constellation.localstack.backup.MongoBackup \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@" \
    --uri "$LOCAL_MONGO_URI" --data-file "$DATA_DIR/mongo/constellation.mv" 2> >(grep -v '^SLF4J' >&2)
}
