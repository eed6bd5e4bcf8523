# Stand-in for mongo:7 where no registry is reachable: our embedded MongoDB-wire server
# (libs/local-stack MongoWireServer). No auth, no replica set — for the smoke test only.
ARG RUNTIME_IMAGE=constellation/smoke-base:local
FROM ${RUNTIME_IMAGE}
LABEL dev.constellation.image=1
RUN useradd --uid 999 --user-group --home-dir /data --shell /usr/sbin/nologin mongo \
 && mkdir -p /data/mongo && chown -R mongo:mongo /data
COPY libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar /opt/mongo-wire/local-stack.jar
USER mongo
EXPOSE 27017
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/27017' || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-cp", "/opt/mongo-wire/local-stack.jar", \
  "-Dloader.main=dev.constellation.localstack.MongoWireServer", "org.springframework.boot.loader.launch.PropertiesLauncher"]
