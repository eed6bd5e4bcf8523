#!/usr/bin/env bash
# After a full test run: no access token, password, API key or JWT secret may appear in any log
# the services wrote (system-stack and e2e service logs, and the test JVMs' captured output).
set -uo pipefail
cd "$(dirname "$0")/.."
mapfile -t logs < <(find . -path ./node_modules -prune -o \( \
  -path '*/target/surefire-reports/*-output.txt' -o -path '*/target/failsafe-reports/*-output.txt' \
  -o -path './system-tests/target/system-stack/*.log' -o -path './target/e2e-logs/*' \) -type f -print 2>/dev/null)
if [ ${#logs[@]} -eq 0 ]; then echo "log secrets: no logs found to check" >&2; exit 1; fi
patterns=(
  'eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.'    # a JWT
  'correct horse battery'                              # the tests' passwords
  'correct-horse-[0-9a-z]{4,}'                         # the browser journey's password
  'sk-ant-[A-Za-z0-9-]{8,}'                           # an Anthropic key (the fakes look real)
  'test-secret-that-is-long-enough-for-hs256-signing'  # the tests' JWT secret
  'Bearer [A-Za-z0-9._~+/-]{16,}'                      # an Authorization header value of any token shape
  '[?&]ticket=[A-Za-z0-9_-]{16,}'                      # a terminal ticket in a logged URL
  '(password|refreshToken|accessToken|apiKey|api_key|secret)\\?"[[:space:]]*:[[:space:]]*\\?"[^"\\]' # a secret JSON field with a value
  '://[^/:@[:space:]"]*:[^/@[:space:]"]+@'             # credentials inside a connection URL (mongodb://u:p@, redis://:p@)
)
status=0
for pattern in "${patterns[@]}"; do
  hits=$(grep -lE -- "$pattern" "${logs[@]}" 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "log secrets: /$pattern/ found in:"; echo "$hits" | sed 's/^/  /'; status=1
  fi
done
[ $status = 0 ] && echo "log secrets: none in ${#logs[@]} log files"
exit $status
