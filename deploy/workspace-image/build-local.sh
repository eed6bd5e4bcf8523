#!/usr/bin/env bash
# Builds the workspace image with no registry: debootstrap a minimal Debian root with the packages
# of packages.txt (the Dockerfile installs the same file), warm its Maven repository from the host,
# `docker import` it, then add the non-root user; last, the language servers (add-lsp.sh).
# Usage: deploy/workspace-image/build-local.sh [image-name]   (default constellation/workspace:local)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(cd "$HERE/../.." && pwd)
IMAGE=${1:-constellation/workspace:local}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES=${WORKSPACE_PACKAGES:-$(grep -v '^#' "$HERE/packages.txt" | paste -sd' ' -)}

if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ "${REBUILD:-0}" != 1 ]; then
  echo "$IMAGE already exists (REBUILD=1 to build again)"
  exec "$HERE/add-lsp.sh" "$IMAGE"
fi
command -v debootstrap >/dev/null || { echo "debootstrap is needed: apt-get install debootstrap" >&2; exit 1; }
command -v mvn >/dev/null || { echo "Maven is needed to warm the image's Maven repository" >&2; exit 1; }
ROOT=$(mktemp -d /tmp/constellation-rootfs.XXXXXX)
cleanup() { umount "$ROOT/proc" 2>/dev/null || true; rm -rf "$ROOT"; }
trap cleanup EXIT
echo "debootstrap bookworm into $ROOT"
debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 \
  || { tail -30 "$ROOT.log" >&2; exit 1; }
# The packages go in with apt inside the root, as the Dockerfile does: debootstrap's own --include
# cannot order the configuration of this many packages (ca-certificates-java needs /proc).
echo "apt-get install in the root: $PACKAGES"
mount -t proc proc "$ROOT/proc"
chroot "$ROOT" sh -c "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $PACKAGES" \
  >>"$ROOT.log" 2>&1 || { tail -30 "$ROOT.log" >&2; exit 1; }
umount "$ROOT/proc"
# Every exec and terminal is a login shell, and Debian's /etc/profile forks `id -u` to pick the PATH
# for root or a user: ~10-15 ms of every command (docs/benchmarks.md, "Exec floor"). bash knows its
# effective uid ($EUID); other shells (dash: `sh -l`) have no EUID and still ask id.
sed -i 's/"$(id -u)"/"${EUID:-$(id -u)}"/' "$ROOT/etc/profile"
chroot "$ROOT" useradd --uid 1000 --create-home --shell /bin/bash dev
mkdir -p "$ROOT/workspace" && chown 1000:1000 "$ROOT/workspace"
echo "warming the image's Maven repository for the java-maven template"
# Outside the home directory, which is an empty tmpfs in a running workspace: the mvn wrapper (mvn.sh)
# copies the repository in on Maven's first run (as in the Dockerfile).
install -m 0755 "$HERE/mvn.sh" "$ROOT/usr/local/bin/mvn"
"$HERE/warm-maven.sh" "$REPO_ROOT/services/project-service/src/main/resources/templates/java-maven" \
  "$ROOT/opt/constellation/maven-repository"
chown -R 1000:1000 "$ROOT/opt/constellation/maven-repository"
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/*
tar -C "$ROOT" -c . | docker import \
  --change 'USER dev' --change 'WORKDIR /workspace' \
  --change 'ENV HOME=/home/dev SHELL=/bin/bash LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["sleep","infinity"]' - "$IMAGE"
echo "built $IMAGE"
# The language servers come from npm on the host, as a layer of their own (see add-lsp.sh).
"$HERE/add-lsp.sh" "$IMAGE"
