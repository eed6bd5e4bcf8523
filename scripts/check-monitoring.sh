#!/usr/bin/env bash
# Validates the monitoring configuration in the repository with promtool: the Prometheus config
# (deploy/prometheus/prometheus.yml, with the rule files it loads) and the alert rules on their own.
# Without promtool (Debian: apt-get install prometheus) it skips, unless REQUIRE_PROMETHEUS=1.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v promtool >/dev/null 2>&1; then
  if [ "${REQUIRE_PROMETHEUS:-}" = 1 ]; then
    echo "monitoring: promtool not found and REQUIRE_PROMETHEUS=1" >&2
    exit 1
  fi
  echo "monitoring: promtool not found; skipping (apt-get install prometheus, or set REQUIRE_PROMETHEUS=1 to fail)"
  exit 0
fi
shopt -s nullglob
rules=(deploy/prometheus/rules/*.yml)
if [ ${#rules[@]} -eq 0 ]; then echo "monitoring: no rule files in deploy/prometheus/rules" >&2; exit 1; fi
promtool check config deploy/prometheus/prometheus.yml
promtool check rules "${rules[@]}"
echo "monitoring: prometheus.yml and ${#rules[@]} rule file(s) valid"
