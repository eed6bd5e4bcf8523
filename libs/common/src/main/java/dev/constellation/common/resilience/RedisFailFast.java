package dev.constellation.common.resilience;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce settings shared by every Redis client of ours. By default Lettuce queues commands while
 * disconnected until the command timeout (60 s) — with Redis gone every request hung. Here a
 * command sent while the connection is down fails at once, and reconnect attempts back off to at
 * most 2 s, so that service resumes within seconds of Redis coming back.
 */
public final class RedisFailFast {
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);

  private RedisFailFast() {}

  public static ClientOptions.Builder apply(ClientOptions.Builder builder) {
    return builder
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
  }

  /** For clients built by hand (Boot's properties set the timeout of its own). */
  public static ClientOptions clientOptions() {
    return apply(ClientOptions.builder())
        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
        .build();
  }

  public static Delay reconnectDelay() {
    return Delay.exponential(Duration.ofMillis(50), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS);
  }
}
