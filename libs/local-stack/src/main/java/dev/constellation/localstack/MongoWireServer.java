package dev.constellation.localstack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded MongoDB-wire server on its own, for a container where no MongoDB image can be pulled
 * (the smoke test of {@code deploy/scripts/smoke-local-images.sh}). It has no authentication and no
 * replica set: a stand-in for testing images, never for production.
 *
 * <p>Settings: {@code MONGO_WIRE_HOST} (default 0.0.0.0), {@code MONGO_WIRE_PORT} (27017), {@code
 * MONGO_WIRE_FILE} (H2 file, default /data/mongo/constellation.mv), {@code
 * MONGO_WIRE_EXIT_WITH_PARENT} (1: exit when stdin closes, for a child process).
 */
public final class MongoWireServer {
  private MongoWireServer() {}

  public static void main(String[] args) throws Exception {
    String host = System.getenv().getOrDefault("MONGO_WIRE_HOST", "0.0.0.0");
    int port = Integer.parseInt(System.getenv().getOrDefault("MONGO_WIRE_PORT", "27017"));
    Path file =
        Path.of(System.getenv().getOrDefault("MONGO_WIRE_FILE", "/data/mongo/constellation.mv"));
    EmbeddedMongo mongo = EmbeddedMongo.persistent(file, host, port);
    CountDownLatch stopped = new CountDownLatch(1);
    // The H2 file must be closed cleanly on `docker stop`, or the last writes may be lost.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  mongo.close();
                  stopped.countDown();
                }));
    if ("1".equals(System.getenv("MONGO_WIRE_EXIT_WITH_PARENT"))) exitWhenStdinCloses();
    System.out.println(
        "MongoDB-wire server listening on "
            + host
            + ":"
            + mongo.port()
            + " (data in "
            + file
            + ")");
    stopped.await();
  }

  /**
   * A child of a launcher or a test JVM ({@link MongoWireProcess}): stdin is a pipe from the
   * parent, closed by the kernel however the parent ends, and then this server ends too.
   */
  private static void exitWhenStdinCloses() {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // nothing is ever sent; only the end matters
                }
              } catch (java.io.IOException closed) {
                // the same: the parent is gone
              }
              System.exit(0);
            },
            "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
