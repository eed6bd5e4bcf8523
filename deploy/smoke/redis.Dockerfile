# Stand-in for redis:7 where no registry is reachable: Debian's redis-server from the local base.
ARG RUNTIME_IMAGE=constellation/smoke-base:local
FROM ${RUNTIME_IMAGE}
LABEL dev.constellation.image=1
RUN mkdir -p /data && chown redis:redis /data
USER redis
WORKDIR /data
EXPOSE 6379
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD redis-cli --no-auth-warning -a "$REDIS_PASSWORD" ping | grep -q PONG
ENTRYPOINT ["sh", "-c", "exec redis-server --bind 0.0.0.0 --protected-mode no --appendonly yes --dir /data --requirepass \"$REDIS_PASSWORD\""]
