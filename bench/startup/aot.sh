#!/usr/bin/env bash
# Spring AOT on a service's start-up: the same service built twice from this tree, as a plain boot
# jar and with `spring-boot:process-aot` (run with -Dspring.aot.enabled=true), each started in
# alternating rounds up to its refreshed context (spring.context.exit=onRefresh: the part AOT
# changes; nothing listens yet, so no storage is needed) with `make run`'s JVM options. Prints wall
# and CPU seconds. Measurement only: `make run` does not use AOT (docs/benchmarks.md says why).
#
#   bash bench/startup/aot.sh [service]      # project-service; ROUNDS=3
set -euo pipefail
cd "$(dirname "$0")/../.."
SERVICE=${1:-project-service}
ROUNDS=${ROUNDS:-3}
OPTS=${AOT_JVM_OPTS:--XX:TieredStopAtLevel=1 -Xss512k -XX:+UseSerialGC -Xmx384m}
PLAIN=services/$SERVICE/target/$SERVICE.jar
[ -f "$PLAIN" ] || { echo "missing $PLAIN: run make build" >&2; exit 1; }
WORK=$(mktemp -d /tmp/aot-bench.XXXX)
trap 'rm -rf "$WORK"' EXIT
# A copy of the module beside a copy of the root pom, so that the tree's own target/ stays as built.
mkdir -p "$WORK/src/services"
cp pom.xml "$WORK/src/"
cp -r "services/$SERVICE" "$WORK/src/services/"
rm -rf "$WORK/src/services/$SERVICE/target"
repo=$(sed -n 's/.*-Dmaven.repo.local=\([^ ]*\).*/\1/p' .mvn/maven.config 2>/dev/null | head -1)
( cd "$WORK/src/services/$SERVICE"
  mvn -B -q ${repo:+-Dmaven.repo.local=$repo} -Dmaven.test.skip=true -Dspotless.check.skip=true \
    compile spring-boot:process-aot >"$WORK/aot-build.log" 2>&1
  mvn -B -q ${repo:+-Dmaven.repo.local=$repo} jar:jar spring-boot:repackage >>"$WORK/aot-build.log" 2>&1
) || { cat "$WORK/aot-build.log" >&2; exit 1; }
cp "$WORK/src/services/$SERVICE/target/$SERVICE.jar" "$WORK/aot.jar"
cp "$PLAIN" "$WORK/plain.jar"

# What the launcher would pass; nothing is reached before the context is refreshed.
export JWT_SECRET=${JWT_SECRET:-aot-bench-secret-that-is-long-enough-for-hs256-signing}
export SPRING_PROFILES_ACTIVE=${SPRING_PROFILES_ACTIVE:-local}
once() { # jar extra-options → "wall cpu"
  local jar=$1; shift
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e %U %S %x" -o "$WORK/time" java $OPTS "$@" -Dspring.context.exit=onRefresh \
    -jar "$jar" --server.port=0 >"$WORK/run.log" 2>&1 || true
  # spring.context.exit halts with 0 once the context is refreshed; anything else is a failed start.
  [ "$(awk '{print $4}' "$WORK/time")" = 0 ] ||
    { tail -20 "$WORK/run.log" >&2; echo "$jar did not refresh" >&2; exit 1; }
  awk '{ printf "%.1f %.1f\n", $1, $2 + $3 }' "$WORK/time"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A W C
for round in $(seq "$ROUNDS"); do
  for mode in plain aot; do
    if [ $mode = aot ]; then read -r w c < <(once "$WORK/aot.jar" -Dspring.aot.enabled=true)
    else read -r w c < <(once "$WORK/plain.jar"); fi
    W[$mode]+="$w " C[$mode]+="$c "
    echo "round $round $mode: $w s, $c CPU s" >&2
  done
done
echo
echo "## $SERVICE to a refreshed context, $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg); median of $ROUNDS rounds"
echo
echo "| build | wall seconds | CPU seconds |"
echo "|---|---:|---:|"
echo "| plain boot jar | $(median ${W[plain]}) | $(median ${C[plain]}) |"
echo "| process-aot, -Dspring.aot.enabled=true | $(median ${W[aot]}) | $(median ${C[aot]}) |"
