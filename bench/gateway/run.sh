#!/usr/bin/env bash
# Gateway overhead: requests/s and p50/p99 latency of an authenticated GET /api/projects through
# the gateway (:8000) versus straight to project-service (:8002), same stack, same token, same run.
#
# Needs the `make run` stack, started with rate limits raised so the benchmark measures the
# limiter's Redis round trips but is never refused by them:
#
#   mvn -q -o install -DskipTests
#   CONSTELLATION_RATELIMIT_CLIENT_CAPACITY=1000000000 CONSTELLATION_RATELIMIT_USER_CAPACITY=1000000000 \
#     java -jar libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar
#   bench/gateway/run.sh            # DURATION=20s CONNECTIONS=16 THREADS=2 by default
#
# Requires wrk (apt-get install -y wrk), curl and python3.
set -euo pipefail

GATEWAY=${GATEWAY:-http://127.0.0.1:8000}
PROJECT=${PROJECT:-http://127.0.0.1:8002}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-5s}

email="bench-$(date +%s)-$RANDOM@example.com"
password="bench-password-$RANDOM$RANDOM"
# Sign-up answers 202 without tokens (it must not reveal taken emails): sign in next.
curl -fsS -o /dev/null -X POST "$GATEWAY/api/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\",\"displayName\":\"Bench\"}"
token=$(curl -fsS -X POST "$GATEWAY/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')

# Something to list: a project of our own, so both sides return the same non-empty page.
curl -fsS -o /dev/null -X POST "$GATEWAY/api/projects" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name":"bench","templateId":"blank"}' || true

for target in "$GATEWAY" "$PROJECT"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$target/api/projects")
  [ "$status" = 200 ] || { echo "GET $target/api/projects answered $status, not 200" >&2; exit 1; }
done

run() { # name url
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $token" "$2/api/projects" >/dev/null
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $token" "$2/api/projects")
  if grep -q 'Non-2xx' <<<"$out"; then echo "$out" >&2; echo "$1: some responses were not 2xx" >&2; exit 1; fi
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '| %-26s | %10s | %8s | %8s |\n' "$1" "$rps" "$p50" "$p99"
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, GET /api/projects with a bearer token, $(nproc) cores"
echo
echo "| path                       |   requests/s |      p50 |      p99 |"
echo "|----------------------------|------------:|---------:|---------:|"
run "through gateway (:8000)" "$GATEWAY"
run "direct to project-service" "$PROJECT"
