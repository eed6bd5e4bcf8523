#!/usr/bin/env bash
# Every benchmark, one after the other (`make bench`), then one summary table built from the
# `SUMMARY|what|now|baseline|goal|met` lines each benchmark prints (format: bench/README.md).
#
#   bash bench/run-all.sh                      # all of them
#   BENCHES="gateway workspace" bash bench/run-all.sh
#
# A benchmark that fails or overruns BENCH_TIMEOUT_S (default 1800) is reported and the others
# still run; the exit status is then 1. Full output of each: bench/results/<stamp>/<name>.log.
set -uo pipefail
cd "$(dirname "$0")/.."

# name:command, in the order they run; cheap ones first.
ALL=(
  "claude:bash bench/claude/run.sh 30 40 10"
  "gateway:bash bench/gateway/run.sh"
  "gatewayfloor:bash bench/gateway-floor/run.sh"
  "workspace:bash bench/workspace/run.sh"
  "execfloor:python3 bench/workspace/exec_floor.py"
  "startup:bash bench/startup/run.sh"
  "terminal:bash bench/terminal/run.sh"
  "preview:bash bench/preview/run.sh"
  "search:bash bench/search/run.sh"
  "lsp:bash bench/lsp/run.sh"
  "load:bash bench/load/run.sh"
)
WANTED=${BENCHES:-$(printf '%s\n' "${ALL[@]}" | cut -d: -f1 | paste -sd' ')}
OUT="bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

failed=()
for entry in "${ALL[@]}"; do
  name=${entry%%:*} command=${entry#*:}
  [[ " $WANTED " == *" $name "* ]] || continue
  script=${command#bash }; script=${script%% *}
  [ -f "$script" ] || { echo "== $name: $script is missing"; failed+=("$name (missing)"); continue; }
  echo "== $name: $command"
  start=$SECONDS
  timeout --kill-after=30 "${BENCH_TIMEOUT_S:-1800}" bash -c "$command" 2>&1 | tee "$OUT/$name.log"
  status=${PIPESTATUS[0]}
  echo "== $name: exit $status after $((SECONDS - start)) s"
  [ "$status" = 0 ] || failed+=("$name (exit $status)")
done

echo
echo "## Summary ($(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| what | now | baseline in the same run | goal | met |"
echo "|---|---:|---:|---:|:---:|"
cat "$OUT"/*.log 2>/dev/null | grep -a '^SUMMARY|' | awk -F'|' '{printf "| %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6}' \
  | tee "$OUT/summary.md"
if [ ${#failed[@]} -gt 0 ]; then
  echo
  echo "Failed: ${failed[*]} (logs in $OUT)"
  exit 1
fi
