package dev.constellation.gateway.preview;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Port previews served by the gateway on their own origins.
 *
 * @param domain hosts {@code p<port>-<project>.<domain>} are previews (GATEWAY_PREVIEW_DOMAIN);
 *     {@code *.localhost} resolves to loopback in browsers, so the default needs no DNS
 * @param publicUrl scheme, domain and port browsers reach previews at (PREVIEW_PUBLIC_URL, e.g.
 *     {@code http://preview.localhost:8000}); unset: the scheme and port of the IDE request that
 *     asks for a preview session
 * @param sessionTtl how long a preview cookie lasts (revocation and membership are re-checked on
 *     every request regardless)
 * @param ticketTtl how long the one-time ticket of a preview session may wait to be redeemed
 * @param accessCacheTtl how long a member's role answer is reused (at most 5 s)
 * @param targetCacheTtl how long workspace-service's answer of where a port is is reused (at most 2
 *     s)
 * @param cookieSameSite SameSite of the preview cookie: {@code None} (sent as {@code None; Secure;
 *     Partitioned}, which an IDE on another site needs to embed the preview; browsers accept Secure
 *     cookies on http://*.localhost) or {@code Lax} (previews then work only in their own tab)
 */
@ConfigurationProperties(prefix = "gateway.preview")
record PreviewProperties(
    String domain,
    URI publicUrl,
    Duration sessionTtl,
    Duration ticketTtl,
    Duration accessCacheTtl,
    Duration targetCacheTtl,
    String cookieSameSite) {
  PreviewProperties {
    if (domain == null || domain.isBlank()) domain = "preview.localhost";
    if (publicUrl != null && publicUrl.getHost() == null) publicUrl = null;
    if (sessionTtl == null) sessionTtl = Duration.ofHours(1);
    if (ticketTtl == null || ticketTtl.compareTo(Duration.ofSeconds(60)) > 0)
      ticketTtl = Duration.ofSeconds(60);
    if (accessCacheTtl == null || accessCacheTtl.compareTo(Duration.ofSeconds(5)) > 0)
      accessCacheTtl = Duration.ofSeconds(5);
    if (targetCacheTtl == null || targetCacheTtl.compareTo(Duration.ofSeconds(2)) > 0)
      targetCacheTtl = Duration.ofSeconds(2);
    if (cookieSameSite == null || cookieSameSite.isBlank()) cookieSameSite = "None";
    if (!cookieSameSite.equals("None") && !cookieSameSite.equals("Lax")) {
      throw new IllegalArgumentException("gateway.preview.cookie-same-site must be None or Lax");
    }
  }
}
