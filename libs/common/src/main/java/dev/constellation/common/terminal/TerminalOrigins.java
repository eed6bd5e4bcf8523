package dev.constellation.common.terminal;

import java.net.URI;
import java.util.Collection;
import java.util.Locale;

/**
 * The origin rule for terminal WebSockets, applied by the gateway and again by workspace-service: a
 * page on another site must not be able to drive a shell (cross-site WebSocket hijacking). The
 * handshake must carry an Origin, and it must be the request's own Host (the gateway preserves it
 * when proxying) or one configured explicitly. Headers that claim another host ({@code
 * X-Forwarded-Host}, {@code X-Original-Host}, {@code Forwarded}...) are never believed: anyone can
 * send them.
 */
public final class TerminalOrigins {
  private TerminalOrigins() {}

  public static boolean allowed(String origin, String host, Collection<String> configuredOrigins) {
    if (origin == null || origin.isBlank()) return false;
    String normalized = normalize(origin);
    for (String configured : configuredOrigins) {
      if (normalize(configured).equals(normalized)) return true;
    }
    if (host == null || host.isBlank()) return false;
    try {
      URI uri = URI.create(normalized);
      String scheme = uri.getScheme();
      if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) return false;
      if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawUserInfo() != null)
        return false;
      int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
      URI requested = URI.create("//" + host.trim());
      if (requested.getHost() == null) return false;
      // A Host without a port names the scheme's default one.
      int requestedPort =
          requested.getPort() != -1 ? requested.getPort() : port == 80 || port == 443 ? port : -1;
      return uri.getHost().equalsIgnoreCase(requested.getHost()) && port == requestedPort;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }
}
