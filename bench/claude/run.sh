#!/usr/bin/env bash
# AI streaming benchmark: time to first delta and per-delta delay added by claude-service (and the
# gateway when BENCH_GATEWAY_URL is set) over the fake Anthropic API called directly, same run.
# Usage: bench/claude/run.sh [runs=30] [chunks=40] [delayMs=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
module=services/claude-service
mvn -q -o -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
java -cp "$module/target/test-classes:$module/target/classes:libs/fake-anthropic/target/classes:$(cat "$module/target/bench-classpath.txt")" \
  dev.constellation.claude.support.StreamingBench "${1:-30}" "${2:-40}" "${3:-10}"
