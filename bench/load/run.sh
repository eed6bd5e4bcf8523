#!/usr/bin/env bash
# Issue 13's load runs: simulated developers in teams of five (accounts, projects, files, commands,
# one terminal each with typing, a quarter of them streaming AI answers from the fake upstream)
# against the whole stack as `make run` starts it (system-tests' SystemStack, fresh data, its own
# workspace network), with one developer alone earlier in the same run as the baseline.
#
#   bash bench/load/run.sh                 # 100 users × 180 s, then 300 users × 120 s, arriving over 60 s
#   bash bench/load/run.sh 100:180         # one size only (users:seconds), terminals opened at once
#   bash bench/load/run.sh 100:180:60      # users:seconds:ramp — terminal opens spread over 60 s
#
# Each size is its own stack (a fresh JVM), bounded by `timeout`. Prints each run's tables (per
# operation count/errors/p50/p99/max, per process CPU/RSS/threads/fds, workspace containers) and
# its SUMMARY lines; the reports stay in system-tests/target/load/. Needs the jars
# (`mvn -q -o install -DskipTests`) and a Docker engine with constellation/workspace:local.
# Starts the whole stack: run it under the shared lock on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/../.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100:180:60 300:120:60)

for size in "${sizes[@]}"; do
  IFS=: read -r users seconds ramp <<<"$size"
  ramp=${ramp:-0}
  log=$(mktemp "/tmp/load-$users-XXXX.log")
  started=$(mktemp "/tmp/load-$users-started-XXXX") # a report newer than this is this run's
  echo "-- $users users × $seconds s, terminal opens over $ramp s (log: $log)"
  # Set-up grows with the users (sign-ups are bcrypt), the load is fixed, leaving is bounded.
  limit=$((seconds + 600 + users * 4))
  status=0
  timeout --signal=TERM --kill-after=60 "$limit" \
    env REQUIRE_DOCKER=1 mvn -B -o -pl system-tests verify \
      -Dit.test=TeamLoadIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
      -Dload.users="$users" -Dload.seconds="$seconds" -Dload.rampSeconds="$ramp" -Dload.strict=false \
      >"$log" 2>&1 || status=$?
  report="system-tests/target/load/report-$users-users.md"
  if [ -f "$report" ] && [ "$report" -nt "$started" ]; then
    cat "$report"
  else
    echo "no report (exit $status); the end of the log:"
    tail -40 "$log"
    echo "SUMMARY|load $users users × $seconds s: failed operations|did not finish|—|0|no"
  fi
  rm -f "$started"
done
