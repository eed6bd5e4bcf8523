package dev.constellation.gateway.web;

import java.net.InetSocketAddress;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/** Who is calling, for per-IP limits and audit lines. */
public final class ClientAddress {
  static final String ATTR = ClientAddress.class.getName();

  private ClientAddress() {}

  /** The client's address as decided before forwarding headers were stripped from the request. */
  public static String of(ServerWebExchange exchange) {
    String client = exchange.getAttribute(ATTR);
    return client == null ? of(exchange.getRequest(), false) : client;
  }

  /**
   * The peer's address, or — when the gateway sits behind our own proxy — the client that proxy
   * saw. A client-sent X-Forwarded-For is believed only then, or anyone could pick their bucket.
   */
  public static String of(ServerHttpRequest request, boolean trustForwardedHeaders) {
    if (trustForwardedHeaders) {
      String forwarded = request.getHeaders().getFirst("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        String[] hops = forwarded.split(",");
        // The last hop is the one our proxy appended; earlier ones are the client's word.
        return hops[hops.length - 1].trim();
      }
    }
    InetSocketAddress remote = request.getRemoteAddress();
    if (remote == null) return "unknown";
    return remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
  }

  /** Whether the client reached us over TLS, directly or through our proxy. */
  public static boolean isSecure(ServerHttpRequest request, boolean trustForwardedHeaders) {
    if (request.getSslInfo() != null) return true;
    return trustForwardedHeaders && "https".equalsIgnoreCase(request.getHeaders().getFirst("X-Forwarded-Proto"));
  }
}
