package dev.constellation.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One MongoDB-wire server and one redis-server per test JVM, shared by every test class, started on
 * first use and stopped when the JVM exits.
 */
public final class TestInfrastructure {
  private static EmbeddedMongo mongo;
  private static LocalRedis redis;

  private TestInfrastructure() {}

  public static synchronized EmbeddedMongo mongo() {
    if (mongo == null) {
      mongo = EmbeddedMongo.inMemory();
      Runtime.getRuntime().addShutdownHook(new Thread(mongo::close));
    }
    return mongo;
  }

  public static synchronized LocalRedis redis() {
    if (redis == null) {
      try {
        redis = LocalRedis.start(0, null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
    }
    return redis;
  }

  /** A fixed test secret, long enough for HS256. */
  public static final String JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-signing";
}
