package dev.constellation.common.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings every service shares for access tokens.
 *
 * @param jwtSecret HMAC secret (JWT_SECRET), at least 32 bytes
 * @param issuer expected {@code iss} of every token
 * @param audience expected {@code aud} of every token
 */
@ConfigurationProperties(prefix = "constellation.auth")
public record AuthProperties(String jwtSecret, String issuer, String audience) {
  public AuthProperties {
    if (issuer == null || issuer.isBlank()) issuer = "constellation";
    if (audience == null || audience.isBlank()) audience = "constellation-api";
  }
}
