#!/usr/bin/env bash
# Prints .env.example with every change_me placeholder and JWT_SECRET replaced by random values
# (hex, so they are safe inside MongoDB and Redis URIs). `make dev-setup` writes it to .env.
set -euo pipefail
SRC=${1:-.env.example}
rand() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    '# JWT_SECRET='*|'JWT_SECRET='*) echo "JWT_SECRET=$(rand 32)" ;;
    [A-Z]*=*change_me*) echo "${line%%=*}=$(rand 18)" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$SRC"
