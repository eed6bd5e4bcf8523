#!/usr/bin/env bash
# Port previews, on a running stack with the Docker runtime (`make run`, or the system-test stack):
#  (a) detection: time from a server's own "listening" callback (Date.now() inside the container,
#      same clock as the host) until its port appears in GET /api/projects/{id}/ports, polled
#      every 50 ms — ROUNDS fresh ports. (This measures the on-demand read; the `ports` event of the
#      workspace event stream comes from the 1 s scanner of watched projects and is bounded by
#      ~1 s + one read.)
#  (b) overhead: p50/p99 of GET / of that server through the gateway's preview origin (cookie,
#      Host p<port>-<id>.<domain>) versus straight to the container's IP, same run, with wrk.
#
#   bench/preview/run.sh     # GATEWAY=http://127.0.0.1:8000 PREVIEW_DOMAIN=preview.localhost
#                            # ROUNDS=5 DURATION=10s CONNECTIONS=8 THREADS=2
# The stack's rate limits apply to /api only (the preview origin has none), so no raising needed.
# Requires curl, wrk, python3 and the docker CLI (for the container's IP). Bounded: every wait
# has a limit; the project (and its container) is deleted at the end.
set -euo pipefail

GATEWAY=${GATEWAY:-http://127.0.0.1:8000}
DOMAIN=${PREVIEW_DOMAIN:-preview.localhost}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
gw_port=${GATEWAY##*:}

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
api() { # method path [body]
  curl -fsS -X "$1" "$GATEWAY$2" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' ${3:+-d "$3"}
}

email="bench-preview-$(date +%s)-$RANDOM@example.com"
password="bench-password-$RANDOM$RANDOM"
curl -fsS -o /dev/null -X POST "$GATEWAY/api/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\",\"displayName\":\"Bench\"}"
token=$(curl -fsS -X POST "$GATEWAY/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | json 'd["accessToken"]')
project=$(api POST /api/projects '{"name":"bench-preview","templateId":"blank"}' | json 'd["id"]')
trap 'api DELETE "/api/projects/$project" >/dev/null 2>&1 || true' EXIT
api POST "/api/projects/$project/workspace/start" >/dev/null

start_server() { # port: a tiny HTTP server that records when it started listening
  local cmd="setsid nohup node -e \"require('http').createServer((q,s)=>s.end('ok')).listen($1,()=>require('fs').writeFileSync('/tmp/at-$1',String(Date.now())))\" >/dev/null 2>&1 </dev/null &"
  api POST "/api/projects/$project/exec" "$(python3 -c 'import json,sys; print(json.dumps({"command": sys.argv[1], "timeoutSeconds": 20}))' "$cmd")" >/dev/null
}

echo "(a) listening -> listed in GET /ports (polled every 50 ms), $ROUNDS ports, $(nproc) cores"
delays=()
for i in $(seq 1 "$ROUNDS"); do
  port=$((4100 + i))
  start_server "$port"
  seen=$(GATEWAY=$GATEWAY TOKEN=$token PROJECT=$project PORT=$port python3 - <<'PY'
import json, os, time, urllib.request
url = f"{os.environ['GATEWAY']}/api/projects/{os.environ['PROJECT']}/ports"
req = urllib.request.Request(url, headers={"Authorization": "Bearer " + os.environ["TOKEN"]})
deadline = time.time() + 15
while time.time() < deadline:
    ports = [p["port"] for p in json.load(urllib.request.urlopen(req, timeout=5))]
    if int(os.environ["PORT"]) in ports:
        print(int(time.time() * 1000)); break
    time.sleep(0.05)
else:
    print("timeout")
PY
)
  [ "$seen" = timeout ] && { echo "port $port was not listed within 15 s" >&2; exit 1; }
  at=$(api POST "/api/projects/$project/exec" "{\"command\":\"cat /tmp/at-$port\",\"timeoutSeconds\":10}" | json 'd["stdout"].strip()')
  delays+=($((seen - at)))
  echo "  port $port: $((seen - at)) ms"
done
printf '  sorted (ms): %s\n' "$(printf '%s\n' "${delays[@]}" | sort -n | tr '\n' ' ')"

port=4101
host="p$port-$project.$DOMAIN:$gw_port"
ticket_url=$(api POST "/api/projects/$project/ports/$port/preview-session" '{"path":"/"}' | json 'd["url"]')
path_query=/${ticket_url#*://*/}
cookie=$(curl -fsS -o /dev/null -D - -H "Host: $host" "http://127.0.0.1:$gw_port$path_query" |
  awk -F'[:;] *' 'tolower($1)=="set-cookie" && $2 ~ /^constellation_preview=/ {print $2}')
[ -n "$cookie" ] || { echo "no preview cookie from $path_query" >&2; exit 1; }
container=$(docker ps -q --filter "label=dev.constellation.project-id=$project" | head -1)
ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$container" | awk '{print $1}')
body=$(curl -fsS -H "Host: $host" -H "Cookie: $cookie" "http://127.0.0.1:$gw_port/")
[ "$body" = ok ] || { echo "through the preview origin: '$body'" >&2; exit 1; }
curl -fsS --max-time 3 "http://$ip:$port/" >/dev/null || { echo "cannot reach $ip:$port from here" >&2; exit 1; }

run() { # name url [headers...]
  local name=$1 url=$2; shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$@" "$url" >/dev/null
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  if grep -q 'Non-2xx' <<<"$out"; then echo "$out" >&2; echo "$name: some responses were not 2xx" >&2; exit 1; fi
  printf '| %-30s | %10s | %8s | %8s |\n' "$name" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
echo
echo "(b) GET / of a node http server, wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
echo "| path                           |  requests/s |      p50 |      p99 |"
echo "|--------------------------------|------------:|---------:|---------:|"
run "preview origin via gateway" "http://127.0.0.1:$gw_port/" -H "Host: $host" -H "Cookie: $cookie"
run "direct to container $ip" "http://$ip:$port/"
