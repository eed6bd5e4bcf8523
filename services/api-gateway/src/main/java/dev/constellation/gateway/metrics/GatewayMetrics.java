package dev.constellation.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The gateway's business counters. Every tag value is registered at start-up so that a rate over a
 * quiet hour reads 0 rather than "no data", and alerts and dashboards see the series exist.
 */
@Component
public class GatewayMetrics {
  /** Why a request or sign-in was refused as unauthenticated. */
  public enum AuthFailure {
    INVALID_TOKEN,
    REVOKED_TOKEN,
    DISABLED_ACCOUNT,
    BAD_CREDENTIALS,
    INVALID_REFRESH,
    REFRESH_REUSE;

    String tag() {
      return name().toLowerCase();
    }
  }

  /** The rate-limit buckets, named as in their Redis keys. */
  public static final List<String> LIMITS = List.of("ip", "auth-ip", "auth-email", "user");

  private final Map<AuthFailure, Counter> authFailures = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
  private final MeterRegistry meters;
  private final Counter logins;
  private final Counter registrations;

  public GatewayMetrics(MeterRegistry meters) {
    for (AuthFailure reason : AuthFailure.values()) {
      authFailures.put(
          reason,
          Counter.builder("constellation.auth.failures")
              .description("Refused credentials or tokens")
              .tag("reason", reason.tag())
              .register(meters));
    }
    this.meters = meters;
    LIMITS.forEach(this::rejectionCounter);
    logins =
        Counter.builder("constellation.auth.logins")
            .description("Successful password sign-ins")
            .register(meters);
    registrations =
        Counter.builder("constellation.auth.registrations")
            .description("Accounts created")
            .register(meters);
  }

  public void authFailure(AuthFailure reason) {
    authFailures.get(reason).increment();
  }

  /** {@code limit} names the bucket, one of {@link #LIMITS} (a fixed set: it becomes a tag). */
  public void rateLimited(String limit) {
    rejectionCounter(limit).increment();
  }

  private Counter rejectionCounter(String limit) {
    return rejections.computeIfAbsent(
        limit,
        l ->
            Counter.builder("constellation.ratelimit.rejections")
                .description("Requests answered 429 by a rate limit")
                .tag("limit", l)
                .register(meters));
  }

  public void login() {
    logins.increment();
  }

  public void registration() {
    registrations.increment();
  }
}
