#!/bin/sh
# Entry point of our service images. Docker secrets arrive as files (Swarm mounts them under
# /run/secrets): a secret whose target is named like an environment variable, e.g. JWT_SECRET or
# MONGODB_URI, becomes that variable and replaces whatever the environment held, so the value never
# has to be in the service's spec (`docker service inspect`) or on a command line. Without such
# files (docker-compose, make run) nothing changes. A secret file holding only a newline stands for
# an empty value: Docker refuses empty secrets, and an optional key (ANTHROPIC_API_KEY) may be unset.
#   SECRETS_DIR   where to look (default /run/secrets; the tests point it elsewhere)
#   any arguments replace the default command (java $JAVA_OPTS -jar /app/app.jar)
set -eu
dir=${SECRETS_DIR:-/run/secrets}
if [ -d "$dir" ]; then
  for file in "$dir"/*; do
    name=${file##*/}
    case $name in '' | [0-9]* | *[!A-Z0-9_]*) continue ;; esac   # only names a shell variable can have
    [ -f "$file" ] || continue
    value=$(cat "$file")   # $( ) drops trailing newlines: a secret made with `echo` works too
    export "$name=$value"
  done
fi
# JAVA_OPTS is split into words on purpose, as `sh -c "exec java $JAVA_OPTS ..."` did before.
# shellcheck disable=SC2086
[ "$#" -gt 0 ] || set -- java ${JAVA_OPTS:-} -jar /app/app.jar
exec "$@"
