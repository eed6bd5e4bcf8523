package dev.constellation.gateway.ratelimit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Token buckets, kept in Redis so that every gateway instance shares them.
 *
 * @param enabled switch all limits off (never in production)
 * @param client every /api request, per client address
 * @param user every authenticated /api request, per user
 * @param authClient login and register, per client address
 * @param authEmail login and register, per email address
 */
@ConfigurationProperties(prefix = "constellation.rate-limit")
public record RateLimitProperties(
    Boolean enabled, Limit client, Limit user, Limit authClient, Limit authEmail) {

  public RateLimitProperties {
    if (enabled == null) enabled = true;
    if (client == null) client = new Limit(1200, Duration.ofMinutes(1));
    if (user == null) user = new Limit(600, Duration.ofMinutes(1));
    if (authClient == null) authClient = new Limit(10, Duration.ofMinutes(1));
    if (authEmail == null) authEmail = new Limit(10, Duration.ofMinutes(1));
  }

  /**
   * @param capacity requests allowed in a burst
   * @param period time in which a drained bucket refills completely
   */
  public record Limit(long capacity, Duration period) {
    public Limit {
      if (capacity < 1)
        throw new IllegalArgumentException("a rate limit's capacity must be at least 1");
      if (period == null) period = Duration.ofMinutes(1);
    }
  }
}
