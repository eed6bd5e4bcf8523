# /etc/profile.d/constellation.sh in the workspace image; every login shell (exec, terminals) reads it.
# The home directory is an empty tmpfs in a running workspace (the root file system is read-only), so
# the Maven repository warmed into the image is copied in on the first login: `mvn test` then needs
# no registry, and Maven can still write there. Copied aside and renamed, so two shells racing never
# leave a half-copied repository behind.
if [ -d /opt/constellation/maven-repository ] && [ -n "${HOME:-}" ] && [ ! -e "$HOME/.m2/repository" ]; then
  mkdir -p "$HOME/.m2" 2>/dev/null \
    && cp -a /opt/constellation/maven-repository "$HOME/.m2/.repository.$$" 2>/dev/null \
    && mv -T "$HOME/.m2/.repository.$$" "$HOME/.m2/repository" 2>/dev/null
  rm -rf "$HOME/.m2/.repository.$$" 2>/dev/null
fi
