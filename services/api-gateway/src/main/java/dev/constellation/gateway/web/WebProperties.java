package dev.constellation.gateway.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How the gateway faces browsers.
 *
 * @param corsAllowedOrigins origins allowed to call the API from another site
 *     (CORS_ALLOWED_ORIGINS); empty = none
 * @param trustedProxies CIDR blocks of the proxies we run in front of the gateway
 *     (GATEWAY_TRUSTED_PROXIES, comma-separated; compose: Traefik's network). Forwarding headers
 *     (X-Forwarded-For/-Proto, Forwarded, X-Real-IP) are believed only from a direct peer in one of
 *     them; empty = from nobody
 * @param contentSecurityPolicy the CSP sent with every response
 * @param bodyLimits largest request bodies accepted
 */
@ConfigurationProperties(prefix = "constellation.web")
public record WebProperties(
    List<String> corsAllowedOrigins,
    List<String> trustedProxies,
    String contentSecurityPolicy,
    BodyLimits bodyLimits) {

  public WebProperties {
    corsAllowedOrigins =
        corsAllowedOrigins == null
            ? List.of()
            : corsAllowedOrigins.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    if (contentSecurityPolicy == null || contentSecurityPolicy.isBlank()) {
      contentSecurityPolicy =
          "default-src 'self'; script-src 'self'; worker-src 'self' blob:; "
              + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
              + "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    }
    if (bodyLimits == null) bodyLimits = new BodyLimits(null, null, null);
  }

  /**
   * @param defaultMax any request not listed below
   * @param fileContentMax PUT /api/projects/{id}/files/content
   * @param importMax POST /api/projects/import
   */
  public record BodyLimits(DataSize defaultMax, DataSize fileContentMax, DataSize importMax) {
    public BodyLimits {
      if (defaultMax == null) defaultMax = DataSize.ofMegabytes(1);
      if (fileContentMax == null) fileContentMax = DataSize.ofMegabytes(20);
      if (importMax == null) importMax = DataSize.ofMegabytes(100);
    }
  }
}
