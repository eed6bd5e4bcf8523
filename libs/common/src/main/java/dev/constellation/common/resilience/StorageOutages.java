package dev.constellation.common.resilience;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.problem.Problems;
import java.time.Duration;
import java.util.Set;
import org.springframework.http.ProblemDetail;

/**
 * Recognises "Redis or the database is not answering" anywhere in a cause chain, so that every
 * service (MVC or WebFlux) answers it with the same fast 503 problem instead of a 500 or a hang.
 * Matched by class name, walking superclasses, so that a service without the Redis or Mongo driver
 * on its class path still loads this class.
 */
public final class StorageOutages {
  /**
   * Seconds a client should wait before retrying; the launcher restarts Redis within about this.
   */
  public static final String RETRY_AFTER_SECONDS = "2";

  private static final Set<String> OUTAGE_TYPES =
      Set.of(
          // Spring's translations: connection refused/reset, command or server-selection timeout.
          "org.springframework.dao.DataAccessResourceFailureException",
          "org.springframework.dao.QueryTimeoutException",
          "org.springframework.dao.TransientDataAccessResourceException",
          // "Currently not connected. Commands are rejected." arrives as a plain
          // RedisSystemException.
          "org.springframework.data.redis.RedisSystemException",
          // Untranslated driver exceptions (reactive chains, raw clients such as the rate
          // limiter's).
          "io.lettuce.core.RedisConnectionException",
          "io.lettuce.core.RedisCommandTimeoutException",
          "com.mongodb.MongoTimeoutException",
          "com.mongodb.MongoSocketException");

  private StorageOutages() {}

  public static boolean isOutage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (isOutageType(t.getClass()) || isRejectedRedisCommand(t)) return true;
      if (t.getCause() == t) break;
    }
    return false;
  }

  /** The problem every service answers while a store is away; no exception text in it. */
  public static ProblemDetail problem() {
    return Problems.of(exception());
  }

  /** The same failure as an exception, for handlers that render {@link ApiException}s. */
  public static ApiException exception() {
    return new ApiException(
            ProblemType.STORAGE_UNAVAILABLE,
            "A storage service this request needs is not answering right now; try again in a few seconds.")
        .retryAfter(Duration.ofSeconds(Long.parseLong(RETRY_AFTER_SECONDS)));
  }

  private static boolean isOutageType(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      if (OUTAGE_TYPES.contains(c.getName())) return true;
    }
    return false;
  }

  // Lettuce with DisconnectedBehavior.REJECT_COMMANDS throws a bare RedisException.
  private static boolean isRejectedRedisCommand(Throwable t) {
    return t.getClass().getName().equals("io.lettuce.core.RedisException")
        && t.getMessage() != null
        && t.getMessage().contains("not connected");
  }
}
