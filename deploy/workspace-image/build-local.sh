#!/usr/bin/env bash
# Builds the workspace image with no registry: debootstrap a minimal Debian root with the same
# packages as the Dockerfile, `docker import` it, then add the non-root user.
# Usage: deploy/workspace-image/build-local.sh [image-name]   (default constellation/workspace:local)
set -euo pipefail
IMAGE=${1:-constellation/workspace:local}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES=${WORKSPACE_PACKAGES:-bash,ca-certificates,curl,git,python3,nodejs,openjdk-17-jdk-headless,make,gcc,libc6-dev,procps,less}

if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ "${REBUILD:-0}" != 1 ]; then
  echo "$IMAGE already exists (REBUILD=1 to build again)"; exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is needed: apt-get install debootstrap" >&2; exit 1; }
ROOT=$(mktemp -d /tmp/constellation-rootfs.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
echo "debootstrap bookworm into $ROOT (packages: $PACKAGES)"
debootstrap --variant=minbase --include="$PACKAGES" bookworm "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 \
  || { tail -30 "$ROOT.log" >&2; exit 1; }
chroot "$ROOT" useradd --uid 1000 --create-home --shell /bin/bash dev
mkdir -p "$ROOT/workspace" && chown 1000:1000 "$ROOT/workspace"
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/*
tar -C "$ROOT" -c . | docker import \
  --change 'USER dev' --change 'WORKDIR /workspace' \
  --change 'ENV HOME=/home/dev SHELL=/bin/bash LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["sleep","infinity"]' - "$IMAGE"
echo "built $IMAGE"
