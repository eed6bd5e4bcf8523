package dev.constellation.claude.usage;

import java.time.Duration;
import java.util.List;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A user's tokens of one UTC day in Redis: what was spent plus what running calls have reserved. A
 * reservation is one Lua script, so two calls racing for the last tokens cannot both get them
 * (checking the spent total and charging afterwards let every parallel call through).
 */
final class TokenLedger {
  /** Redis key of a user's day; the contract between reservations and settlements. */
  static String key(String day, String userId) {
    return "ai:tokens:" + day + ":" + userId;
  }

  // KEYS[1] ledger; ARGV budget, amount, seed (spent so far per the usage records), ttl seconds.
  // Answers {1, total after} when reserved, {0, total} when the amount does not fit.
  private static final RedisScript<List> RESERVE =
      new DefaultRedisScript<>(
          """
      local total = redis.call('GET', KEYS[1])
      if not total then
        total = tonumber(ARGV[3])
        redis.call('SET', KEYS[1], total, 'EX', ARGV[4])
      else
        total = tonumber(total)
      end
      local amount = tonumber(ARGV[2])
      if total + amount > tonumber(ARGV[1]) then
        return {0, total}
      end
      return {1, redis.call('INCRBY', KEYS[1], amount)}
      """,
          List.class);

  // A ledger that expired or was flushed meanwhile is left alone: it is re-seeded from the records.
  private static final RedisScript<Long> SETTLE =
      new DefaultRedisScript<>(
          """
      if redis.call('EXISTS', KEYS[1]) == 1 then
        return redis.call('INCRBY', KEYS[1], ARGV[1])
      end
      return 0
      """,
          Long.class);

  private static final Duration TTL = Duration.ofDays(2);

  /**
   * The outcome of a reservation; {@code total} is spent plus reserved, including this one when
   * granted.
   */
  record Reservation(boolean granted, long total) {}

  private final StringRedisTemplate redis;

  TokenLedger(StringRedisTemplate redis) {
    this.redis = redis;
  }

  boolean exists(String key) {
    return Boolean.TRUE.equals(redis.hasKey(key));
  }

  Reservation reserve(String key, long budget, long amount, long seed) {
    List<?> answer =
        redis.execute(
            RESERVE,
            List.of(key),
            String.valueOf(budget),
            String.valueOf(amount),
            String.valueOf(seed),
            String.valueOf(TTL.toSeconds()));
    if (answer == null || answer.size() != 2) {
      throw new IllegalStateException(
          "unexpected answer of the token reservation script: " + answer);
    }
    return new Reservation(
        ((Number) answer.get(0)).longValue() == 1, ((Number) answer.get(1)).longValue());
  }

  /** Adds {@code delta} (charged minus reserved; usually negative, a refund). */
  void settle(String key, long delta) {
    if (delta != 0) {
      redis.execute(SETTLE, List.of(key), String.valueOf(delta));
    }
  }
}
