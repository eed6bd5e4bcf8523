#!/usr/bin/env bash
# Every benchmark, one after the other (`make bench`); each prints its own table, and
# docs/benchmarks.md records the numbers with the command that produced them.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== AI streaming";   bash bench/claude/run.sh 30 40 10
echo "== Workspaces";     bash bench/workspace/run.sh
echo "== Gateway overhead (needs the make run stack with raised rate limits; see docs/benchmarks.md)"
if curl -fs --max-time 2 http://127.0.0.1:8000/api/health >/dev/null; then bash bench/gateway/run.sh
else echo "skipped: start the stack as docs/benchmarks.md shows, then run bench/gateway/run.sh"; fi
echo "== Terminal reattach"; bash bench/terminal/run.sh
echo "== Port previews";     bash bench/preview/run.sh
echo "== Language servers";  bash bench/lsp/run.sh
