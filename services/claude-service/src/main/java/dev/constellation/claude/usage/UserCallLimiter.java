package dev.constellation.claude.usage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AI calls one user has in flight on this instance. Without a per-user cap one user could hold
 * every stream slot of the instance and starve everyone else.
 */
final class UserCallLimiter {
  private final int perUser;
  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

  UserCallLimiter(int perUser) {
    this.perUser = perUser;
  }

  /** Takes a slot, or answers false when the user already has {@code perUser} calls running. */
  boolean tryAcquire(String userId) {
    boolean[] acquired = {false};
    inFlight.compute(
        userId,
        (id, n) -> {
          int current = n == null ? 0 : n;
          if (current >= perUser) return n;
          acquired[0] = true;
          return current + 1;
        });
    return acquired[0];
  }

  void release(String userId) {
    inFlight.computeIfPresent(userId, (id, n) -> n <= 1 ? null : n - 1);
  }

  int inFlight(String userId) {
    return inFlight.getOrDefault(userId, 0);
  }

  int perUser() {
    return perUser;
  }
}
