package dev.constellation.gateway.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Sign-in settings.
 *
 * @param accessTokenTtl lifetime of an access token (JWT)
 * @param refreshTokenTtl how long a sign-in lasts without being used
 * @param bcryptStrength bcrypt cost factor (log2 rounds)
 * @param sessionMaxLifetime how long a sign-in lasts at most, however often it is refreshed
 */
@ConfigurationProperties(prefix = "constellation.accounts")
public record AccountProperties(
    Duration accessTokenTtl,
    Duration refreshTokenTtl,
    Integer bcryptStrength,
    Duration sessionMaxLifetime) {
  public AccountProperties {
    if (accessTokenTtl == null) accessTokenTtl = Duration.ofMinutes(15);
    if (refreshTokenTtl == null) refreshTokenTtl = Duration.ofDays(14);
    if (sessionMaxLifetime == null) sessionMaxLifetime = Duration.ofDays(30);
    if (bcryptStrength == null) bcryptStrength = 10;
  }
}
