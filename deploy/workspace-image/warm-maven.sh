#!/usr/bin/env bash
# Fills a Maven local repository with what the java-maven template's README commands need, so that
# `mvn test` and `mvn -q compile exec:java` work in a workspace without a registry to reach.
# Usage: warm-maven.sh <template-dir> <local-repository-dir>
set -euo pipefail
TEMPLATE=$1
REPO=$2
WORK=$(mktemp -d /tmp/constellation-warm.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp -r "$TEMPLATE"/. "$WORK"
mvn -B -q -f "$WORK/pom.xml" -Dmaven.repo.local="$REPO" package exec:java -Dexec.mainClass=app.Main \
  >"$WORK.log" 2>&1 || { tail -40 "$WORK.log" >&2; rm -f "$WORK.log"; exit 1; }
rm -f "$WORK.log"
