package dev.constellation.gateway.web;

import java.util.List;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Facts about the client that only the gateway may state (identity, forwarding) are removed from
 * what the client sent before anything reads or forwards them. What the client looked like is
 * recorded first, since stripping X-Forwarded-Proto would otherwise hide TLS behind our proxy.
 */
final class IncomingHeadersWebFilter implements WebFilter, Ordered {
  static final int ORDER = FilterOrder.INCOMING_HEADERS;
  static final String SECURE_ATTR = IncomingHeadersWebFilter.class.getName() + ".secure";

  private static final List<String> STRIPPED =
      List.of("x-user-id", "x-user-roles", "x-user-email", "forwarded", "x-real-ip");

  private final TrustedProxies trustedProxies;

  IncomingHeadersWebFilter(TrustedProxies trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    var request = exchange.getRequest();
    exchange.getAttributes().put(SECURE_ATTR, ClientAddress.isSecure(request, trustedProxies));
    exchange.getAttributes().put(ClientAddress.ATTR, ClientAddress.of(request, trustedProxies));
    List<String> doomed =
        request.getHeaders().headerNames().stream()
            .filter(IncomingHeadersWebFilter::isStripped)
            .toList();
    if (doomed.isEmpty()) return chain.filter(exchange);
    return chain.filter(
        exchange.mutate().request(r -> r.headers(h -> doomed.forEach(h::remove))).build());
  }

  static boolean isStripped(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return STRIPPED.contains(lower) || lower.startsWith("x-forwarded-");
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
