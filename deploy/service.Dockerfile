# One image recipe for every service; SERVICE names it and SERVICE_PORT is its port.
# Build context: the repository root (the Maven reactor), e.g.
#   docker build -f deploy/service.Dockerfile --build-arg SERVICE=api-gateway --build-arg SERVICE_PORT=8000 .
#   docker build -f deploy/service.Dockerfile --target prebuilt --build-arg SERVICE=api-gateway \
#     --build-arg SERVICE_PORT=8000 --build-arg RUNTIME_IMAGE=constellation/base:local .   # jar from `mvn install`, no registry
# The prebuilt stage comes before the Maven stage on purpose: the classic builder stops at
# --target, so an installation without a registry never needs the Maven image.
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17

FROM ${RUNTIME_IMAGE} AS runtime
ARG APP_UID=1000
ARG SERVICE_PORT
# curl is the HEALTHCHECK's tool; the local base already has it, public JRE bases may not.
# uid 1000 = the workspace image's user, so files in the shared workspaces volume stay writable
# for both (Ubuntu-based JRE images already have a uid-1000 user: it gives way).
RUN test -n "${SERVICE_PORT}" || { echo "--build-arg SERVICE_PORT is required" >&2; exit 1; }; \
    command -v curl >/dev/null || { apt-get update && apt-get install -y --no-install-recommends curl \
      && rm -rf /var/lib/apt/lists/*; } \
 && (getent passwd ${APP_UID} >/dev/null && userdel -r "$(getent passwd ${APP_UID} | cut -d: -f1)" || true) \
 && useradd --uid ${APP_UID} --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin constellation \
 && mkdir -p /app /opt/constellation/workspaces \
 && chown constellation:constellation /app /opt/constellation/workspaces
# Lets `make clean` prune dangling images of ours and nobody else's.
LABEL dev.constellation.image=1
WORKDIR /app
ENV SERVER_PORT=${SERVICE_PORT} \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    SPRING_PROFILES_ACTIVE=prod
EXPOSE ${SERVICE_PORT}
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${SERVER_PORT}/actuator/health/readiness" >/dev/null || exit 1
# Turns Docker secrets (/run/secrets/JWT_SECRET, ...) into the variables of the same names, then
# runs java $JAVA_OPTS -jar /app/app.jar.
COPY deploy/service-entrypoint.sh /usr/local/bin/constellation-entrypoint
RUN chmod 755 /usr/local/bin/constellation-entrypoint
USER constellation
ENTRYPOINT ["/usr/local/bin/constellation-entrypoint"]

FROM runtime AS prebuilt
ARG SERVICE
COPY --chown=constellation:constellation services/${SERVICE}/target/${SERVICE}.jar /app/app.jar

FROM ${BUILD_IMAGE} AS build
ARG SERVICE
WORKDIR /src
COPY pom.xml .
COPY libs libs
COPY services services
COPY system-tests/pom.xml system-tests/pom.xml
RUN mvn -B -q -DskipTests -pl services/${SERVICE} -am package

FROM runtime
ARG SERVICE
COPY --from=build --chown=constellation:constellation /src/services/${SERVICE}/target/${SERVICE}.jar /app/app.jar
