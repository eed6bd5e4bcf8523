package dev.constellation.gateway.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/** Who is calling, for per-address limits and audit lines. */
public final class ClientAddress {
  static final String ATTR = ClientAddress.class.getName();

  private ClientAddress() {}

  /** The client's address as decided before forwarding headers were stripped from the request. */
  public static String of(ServerWebExchange exchange) {
    String client = exchange.getAttribute(ATTR);
    return client == null ? of(exchange.getRequest(), TrustedProxies.none()) : client;
  }

  /**
   * The direct peer's address; only when that peer is one of our trusted proxies, the client it
   * reports (X-Forwarded-For, else Forwarded, else X-Real-IP). Anyone else's forwarding headers are
   * the client's own word, and believing them would let a client pick its rate-limit bucket.
   */
  public static String of(ServerHttpRequest request, TrustedProxies trusted) {
    InetAddress peer = peer(request);
    String direct = peer == null ? fallback(request) : peer.getHostAddress();
    if (peer == null || !trusted.contains(peer)) return direct;
    List<String> hops = forwardedFor(request);
    // Right to left: each hop was appended by the one before it; the first hop that is not one of
    // our proxies is the client. Everything further left is that client's word.
    for (int i = hops.size() - 1; i >= 0; i--) {
      InetAddress hop = TrustedProxies.Addresses.parseLiteral(hops.get(i));
      if (hop == null) return direct;
      if (!trusted.contains(hop)) return hop.getHostAddress();
    }
    if (!hops.isEmpty()) return TrustedProxies.Addresses.parseLiteral(hops.get(0)).getHostAddress();
    InetAddress real =
        TrustedProxies.Addresses.parseLiteral(request.getHeaders().getFirst("X-Real-IP"));
    return real == null ? direct : real.getHostAddress();
  }

  /** Whether the client reached us over TLS, directly or through one of our proxies. */
  public static boolean isSecure(ServerHttpRequest request, TrustedProxies trusted) {
    if (request.getSslInfo() != null) return true;
    return trusted.contains(peer(request))
        && "https".equalsIgnoreCase(request.getHeaders().getFirst("X-Forwarded-Proto"));
  }

  private static List<String> forwardedFor(ServerHttpRequest request) {
    List<String> hops = new ArrayList<>();
    for (String header : request.getHeaders().getOrEmpty("X-Forwarded-For")) {
      for (String hop : header.split(",")) {
        if (!hop.isBlank()) hops.add(stripPort(hop.trim()));
      }
    }
    if (!hops.isEmpty()) return hops;
    // RFC 7239: Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"
    for (String header : request.getHeaders().getOrEmpty("Forwarded")) {
      for (String element : header.split(",")) {
        for (String pair : element.split(";")) {
          String p = pair.trim();
          if (p.toLowerCase(Locale.ROOT).startsWith("for=")) {
            String value = p.substring(4).trim();
            if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
              value = value.substring(1, value.length() - 1);
            }
            hops.add(stripPort(value));
          }
        }
      }
    }
    return hops;
  }

  /** {@code 1.2.3.4:5678} → {@code 1.2.3.4}; {@code [::1]:80} → {@code ::1}; bare IPv6 is kept. */
  private static String stripPort(String hop) {
    if (hop.startsWith("[")) {
      int end = hop.indexOf(']');
      return end < 0 ? hop : hop.substring(1, end);
    }
    int colon = hop.indexOf(':');
    if (colon >= 0 && colon == hop.lastIndexOf(':')) return hop.substring(0, colon);
    return hop;
  }

  private static InetAddress peer(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    return remote == null ? null : remote.getAddress();
  }

  private static String fallback(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    return remote == null ? "unknown" : remote.getHostString();
  }
}
