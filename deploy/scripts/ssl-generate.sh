#!/usr/bin/env bash
# A self-signed certificate for constellation.local and api.constellation.local (development),
# used by Traefik as its default certificate (deploy/traefik/dynamic/tls.yml).
# Usage: ssl-generate.sh [dir]   (default config/ssl); FORCE=1 replaces an existing one.
set -euo pipefail
DIR=${1:-config/ssl}
CRT=$DIR/constellation.local.crt
KEY=$DIR/constellation.local.key
if [ -s "$CRT" ] && [ -s "$KEY" ] && [ "${FORCE:-0}" != 1 ]; then
  echo "$CRT exists (valid until $(openssl x509 -enddate -noout -in "$CRT" | cut -d= -f2)); FORCE=1 to replace"
  exit 0
fi
mkdir -p "$DIR"
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 825 \
  -subj "/CN=constellation.local/O=Constellation IDE (development)" \
  -addext "subjectAltName=DNS:constellation.local,DNS:api.constellation.local,DNS:localhost,IP:127.0.0.1" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$KEY" -out "$CRT" 2>/dev/null
chmod 600 "$KEY"
chmod 644 "$CRT"
echo "wrote $CRT and $KEY (825 days; browsers will warn: trust $CRT or accept the warning)"
