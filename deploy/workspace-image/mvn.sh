#!/bin/sh
# /usr/local/bin/mvn in the workspace image (ahead of Debian's /usr/bin/mvn on every PATH). The home
# directory is an empty tmpfs in a running workspace (the root file system is read-only), so the
# Maven repository warmed into the image is copied in on Maven's first run: `mvn -o test` of the
# java-maven template then needs no registry, and Maven can still write there. Copied aside and
# renamed, so two runs racing never leave a half-copied repository behind.
# Here rather than in a login profile: the copy (24 MB, ≈ 0.1–0.2 s of a busy CPU) used to delay the
# first command of every started workspace, Maven or not (docs/benchmarks.md, "Cold and warm starts").
if [ -d /opt/constellation/maven-repository ] && [ -n "${HOME:-}" ] && [ ! -e "$HOME/.m2/repository" ]; then
  mkdir -p "$HOME/.m2" 2>/dev/null \
    && cp -a /opt/constellation/maven-repository "$HOME/.m2/.repository.$$" 2>/dev/null \
    && mv -T "$HOME/.m2/.repository.$$" "$HOME/.m2/repository" 2>/dev/null
  rm -rf "$HOME/.m2/.repository.$$" 2>/dev/null
fi
exec /usr/bin/mvn "$@"
