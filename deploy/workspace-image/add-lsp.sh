#!/usr/bin/env bash
# Adds the language servers (lsp/install.sh) to an existing workspace image as one more layer, so
# that changing them does not rebuild the whole image. The layer is labelled with a hash of what
# it installs; an image that already has this layer is left alone. build-local.sh calls this last.
# Usage: deploy/workspace-image/add-lsp.sh [image-name]   (default constellation/workspace:local)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
IMAGE=${1:-constellation/workspace:local}
LABEL=dev.constellation.lsp
command -v npm >/dev/null || { echo "npm is needed to install the language servers" >&2; exit 1; }
WANT=$(cat "$HERE/lsp/package.json" "$HERE/lsp/package-lock.json" "$HERE/lsp/install.sh" \
  | sha256sum | cut -c1-16)
HAVE=$(docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$IMAGE")
if [ "$HAVE" = "$WANT" ]; then
  echo "$IMAGE already has the language servers $WANT"; exit 0
fi
CONTEXT=$(mktemp -d /tmp/constellation-lsp.XXXXXX)
trap 'rm -rf "$CONTEXT"' EXIT
echo "installing the language servers on the host (npm ci)"
"$HERE/lsp/install.sh" "$CONTEXT/root" >"$CONTEXT.log" 2>&1 || { tail -30 "$CONTEXT.log" >&2; exit 1; }
rm -f "$CONTEXT.log"
# FROM the image itself, never pulled: there is no registry.
docker build -q -t "$IMAGE" --label "$LABEL=$WANT" -f - "$CONTEXT" >/dev/null <<DOCKERFILE
FROM $IMAGE
USER root
RUN rm -rf /opt/constellation/lsp /node_modules
COPY root/ /
USER dev
DOCKERFILE
echo "added the language servers $WANT to $IMAGE"
