#!/bin/sh
# Installs the language servers pinned by package-lock.json under ROOT/opt/constellation/lsp, and
# makes node's own types visible to TypeScript in every workspace. Both image builds run it: the
# Dockerfile inside the build (ROOT=/), add-lsp.sh on the host (containers reach no registry).
# Usage: install.sh ROOT
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${1:?usage: install.sh ROOT}
DEST="$ROOT/opt/constellation/lsp"
mkdir -p "$DEST"
cp "$HERE/package.json" "$HERE/package-lock.json" "$DEST/"
# No install scripts: none of these packages needs one, and none should run at build time.
npm ci --prefix "$DEST" --omit=dev --ignore-scripts --no-audit --no-fund
# tsserver includes every node_modules/@types above a project without a tsconfig (and with one
# that sets no "types"): /node_modules/@types/node gives `import * as http from 'http'` its types
# in any workspace, while a project's own @types/node, nearer, still wins. Only the types are
# linked there, not the servers' packages, so that node programs cannot resolve them.
mkdir -p "$ROOT/node_modules/@types"
ln -sfn /opt/constellation/lsp/node_modules/@types/node "$ROOT/node_modules/@types/node"
ln -sfn /opt/constellation/lsp/node_modules/undici-types "$ROOT/node_modules/undici-types"
