package dev.constellation.claude.upstream;

import dev.constellation.claude.config.ClaudeProperties;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter inside a bounded total time. */
record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotal) {

  static RetryPolicy of(ClaudeProperties.Retry retry) {
    return new RetryPolicy(
        retry.maxAttempts(), retry.initialBackoff(), retry.maxBackoff(), retry.maxTotal());
  }

  static boolean retryableStatus(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  /**
   * The wait before attempt {@code attempt + 1} (attempt counts from 1), or null to give up.
   *
   * @param retryAfter what the upstream asked for, or null
   * @param elapsed time since the first attempt started
   */
  Duration nextDelay(int attempt, Duration retryAfter, Duration elapsed) {
    if (attempt >= maxAttempts) {
      return null;
    }
    long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    // Half fixed, half random: spreads clients that failed together without ever waiting zero.
    long delay = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    if (retryAfter != null && retryAfter.toMillis() > delay) {
      delay = retryAfter.toMillis();
    }
    if (elapsed.toMillis() + delay > maxTotal.toMillis()) {
      return null;
    }
    return Duration.ofMillis(delay);
  }
}
