#!/usr/bin/env bash
# Builds the runtime base image of our services with no registry: debootstrap a minimal Debian root
# with a headless JRE and curl (the HEALTHCHECK's tool), then `docker import` it. The service
# Dockerfiles take it as BASE_IMAGE / RUNTIME_IMAGE in place of eclipse-temurin:17-jre.
# Usage: deploy/scripts/build-local-base.sh [image-name]   (default constellation/base:local)
#   EXTRA_PACKAGES=redis-server deploy/scripts/build-local-base.sh constellation/redis-base:local
set -euo pipefail
IMAGE=${1:-constellation/base:local}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES=${BASE_PACKAGES:-ca-certificates,curl,openjdk-17-jre-headless}${EXTRA_PACKAGES:+,$EXTRA_PACKAGES}

if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ "${REBUILD:-0}" != 1 ]; then
  echo "$IMAGE already exists (REBUILD=1 to build again)"; exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is needed: apt-get install debootstrap" >&2; exit 1; }
ROOT=$(mktemp -d /tmp/constellation-base.XXXXXX)
trap 'rm -rf "$ROOT" "$ROOT.log"' EXIT
echo "debootstrap bookworm into $ROOT (packages: $PACKAGES)"
debootstrap --variant=minbase --include="$PACKAGES" bookworm "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 \
  || { tail -30 "$ROOT.log" >&2; exit 1; }
# The Dockerfiles add their own non-root user; only caches go here, to keep the image small.
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/* "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/*
tar -C "$ROOT" -c . | docker import \
  --change 'ENV LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' - "$IMAGE"
echo "built $IMAGE"
