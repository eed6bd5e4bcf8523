package dev.constellation.claude.usage;

import java.time.Duration;
import java.util.List;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Tokens of one UTC day in Redis, per user and per project: what was spent plus what running calls
 * have reserved. A reservation is one Lua script over both ledgers, so two calls racing for the
 * last tokens cannot both get them, and a call never holds one budget's tokens while the other
 * refuses it (checking the spent total and charging afterwards let every parallel call through).
 */
final class TokenLedger {
  /** Redis key of a user's day; the contract between reservations and settlements. */
  static String key(String day, String userId) {
    return "ai:tokens:" + day + ":" + userId;
  }

  /** Redis key of a project's day, shared by all its members. */
  static String projectKey(String day, String projectId) {
    return "ai:project-tokens:" + day + ":" + projectId;
  }

  /** Which budget refused a reservation. */
  enum Budget {
    NONE,
    USER,
    PROJECT
  }

  // KEYS user ledger, project ledger; ARGV user budget, project budget, amount, user seed, project
  // seed (spent so far per the usage records), ttl seconds. A budget of 0 is no budget: that
  // ledger is neither checked nor charged. Nothing is charged unless both fit.
  // Answers {1, 0, user total, project total} when reserved, {0, i, user total, project total}
  // when budget i (1 user, 2 project) does not fit the amount.
  private static final RedisScript<List> RESERVE =
      new DefaultRedisScript<>(
          """
      local budgets = {tonumber(ARGV[1]), tonumber(ARGV[2])}
      local seeds = {tonumber(ARGV[4]), tonumber(ARGV[5])}
      local amount = tonumber(ARGV[3])
      local totals = {0, 0}
      for i = 1, 2 do
        if budgets[i] > 0 then
          local total = redis.call('GET', KEYS[i])
          if not total then
            total = seeds[i]
            redis.call('SET', KEYS[i], total, 'EX', ARGV[6])
          else
            total = tonumber(total)
          end
          totals[i] = total
        end
      end
      for i = 1, 2 do
        if budgets[i] > 0 and totals[i] + amount > budgets[i] then
          return {0, i, totals[1], totals[2]}
        end
      end
      for i = 1, 2 do
        if budgets[i] > 0 then
          totals[i] = redis.call('INCRBY', KEYS[i], amount)
        end
      end
      return {1, 0, totals[1], totals[2]}
      """,
          List.class);

  // ARGV delta, then per key 1 when it was charged. A ledger that expired or was flushed meanwhile
  // is left alone: it is re-seeded from the records.
  private static final RedisScript<Long> SETTLE =
      new DefaultRedisScript<>(
          """
      for i = 1, 2 do
        if ARGV[i + 1] == '1' and redis.call('EXISTS', KEYS[i]) == 1 then
          redis.call('INCRBY', KEYS[i], ARGV[1])
        end
      end
      return 1
      """,
          Long.class);

  private static final Duration TTL = Duration.ofDays(2);

  /**
   * The outcome of a reservation; the totals are spent plus reserved (this one included when
   * granted), 0 for a ledger without a budget.
   */
  record Reservation(boolean granted, Budget refusedBy, long userTotal, long projectTotal) {}

  /** The two ledgers of a call and the budgets that apply to them (0 = none). */
  record Keys(String user, long userBudget, String project, long projectBudget) {}

  private final StringRedisTemplate redis;

  TokenLedger(StringRedisTemplate redis) {
    this.redis = redis;
  }

  boolean exists(String key) {
    return Boolean.TRUE.equals(redis.hasKey(key));
  }

  Reservation reserve(Keys keys, long amount, long userSeed, long projectSeed) {
    List<?> answer =
        redis.execute(
            RESERVE,
            List.of(keys.user(), keys.project()),
            String.valueOf(keys.userBudget()),
            String.valueOf(keys.projectBudget()),
            String.valueOf(amount),
            String.valueOf(userSeed),
            String.valueOf(projectSeed),
            String.valueOf(TTL.toSeconds()));
    if (answer == null || answer.size() != 4) {
      throw new IllegalStateException(
          "unexpected answer of the token reservation script: " + answer);
    }
    return new Reservation(
        ((Number) answer.get(0)).longValue() == 1,
        Budget.values()[(int) ((Number) answer.get(1)).longValue()],
        ((Number) answer.get(2)).longValue(),
        ((Number) answer.get(3)).longValue());
  }

  /**
   * Adds {@code delta} (charged minus reserved; usually negative, a refund) to the ledgers that the
   * reservation charged.
   */
  void settle(Keys keys, long delta) {
    if (delta != 0) {
      redis.execute(
          SETTLE,
          List.of(keys.user(), keys.project()),
          String.valueOf(delta),
          keys.userBudget() > 0 ? "1" : "0",
          keys.projectBudget() > 0 ? "1" : "0");
    }
  }
}
