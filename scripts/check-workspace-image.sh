#!/usr/bin/env bash
# Checks that the two builds of the workspace image cannot drift apart: deploy/workspace-image/
# Dockerfile and build-local.sh (the debootstrap build for machines without a registry) both install
# packages.txt, both warm the Maven repository with warm-maven.sh into the same place, and both
# install the mvn wrapper that copies it into the (tmpfs) home directory. Also: packages.txt
# names the tools the templates' READMEs and the terminals need. No Docker needed; the image itself
# is tested by system-tests TemplateToolchainsIT.
set -euo pipefail
cd "$(dirname "$0")/../deploy/workspace-image"
failures=()

grep -qE '^COPY deploy/workspace-image/packages.txt ' Dockerfile \
  && grep -qE "grep -v '\^#' /tmp/packages.txt" Dockerfile \
  || failures+=("the Dockerfile does not install packages.txt")
grep -qE 'PACKAGES=.*\$HERE/packages.txt' build-local.sh \
  && grep -qE 'apt-get install .*\$PACKAGES' build-local.sh \
  || failures+=("build-local.sh does not install packages.txt")
for build in Dockerfile build-local.sh; do
  grep -q 'warm-maven.sh' "$build" || failures+=("$build does not warm the Maven repository")
  grep -q '/opt/constellation/maven-repository' "$build" \
    || failures+=("$build warms the Maven repository somewhere else than /opt/constellation/maven-repository")
  grep -q 'mvn.sh' "$build" && grep -q '/usr/local/bin/mvn' "$build" \
    || failures+=("$build does not install mvn.sh as /usr/local/bin/mvn")
done
# The language servers: the Dockerfile runs lsp/install.sh itself, build-local.sh through
# add-lsp.sh; both from the same package-lock.json.
grep -q 'lsp/install.sh /' Dockerfile && grep -q 'deploy/workspace-image/lsp/package-lock.json' Dockerfile \
  || failures+=("the Dockerfile does not install the language servers with lsp/install.sh")
grep -q 'add-lsp.sh' build-local.sh && grep -q 'lsp/install.sh' add-lsp.sh \
  || failures+=("build-local.sh does not add the language servers with add-lsp.sh and lsp/install.sh")
[ -f lsp/package-lock.json ] || failures+=("lsp/package-lock.json is missing: the servers' versions are not pinned")
for server in typescript-language-server typescript vscode-langservers-extracted yaml-language-server @types/node; do
  grep -q "\"$server\": \"[0-9]" lsp/package.json || failures+=("lsp/package.json does not pin $server")
done

grep -q '/opt/constellation/maven-repository' mvn.sh || failures+=("mvn.sh does not seed from /opt/constellation/maven-repository")
grep -q 'exec /usr/bin/mvn ' mvn.sh || failures+=("mvn.sh does not end in Debian's mvn")

# What the templates and the terminals use.
for pkg in bash ca-certificates curl git openssh-client ripgrep tmux nodejs npm python3 \
    python-is-python3 python3-pip python3-venv python3-pytest openjdk-17-jdk-headless maven \
    python3-pylsp python3-pyflakes; do
  grep -qxF "$pkg" packages.txt || failures+=("packages.txt lacks $pkg")
done
grep -qxE '(vim|vim-tiny|nano)' packages.txt || failures+=("packages.txt has no editor (vim or nano)")

if [ "${#failures[@]}" -gt 0 ]; then
  printf 'workspace image: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "workspace image: Dockerfile and build-local.sh install packages.txt and the same warmed Maven repository"
