package dev.constellation.gateway.web;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Security headers on every response, proxied or not. Set just before commit so that they win over
 * whatever a downstream service sent.
 */
final class SecurityHeadersWebFilter implements WebFilter, Ordered {
  static final int ORDER = FilterOrder.SECURITY_HEADERS;

  private final String contentSecurityPolicy;

  SecurityHeadersWebFilter(String contentSecurityPolicy) {
    this.contentSecurityPolicy = contentSecurityPolicy;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    var response = exchange.getResponse();
    boolean secure =
        Boolean.TRUE.equals(exchange.getAttribute(IncomingHeadersWebFilter.SECURE_ATTR));
    response.beforeCommit(
        () -> {
          HttpHeaders h = response.getHeaders();
          h.set("Content-Security-Policy", contentSecurityPolicy);
          h.set("X-Content-Type-Options", "nosniff");
          h.set("X-Frame-Options", "DENY");
          h.set("Referrer-Policy", "strict-origin-when-cross-origin");
          h.set("Cross-Origin-Opener-Policy", "same-origin");
          if (secure) {
            h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
          } else {
            // HSTS over plain HTTP is ignored by browsers and would only mislead.
            h.remove("Strict-Transport-Security");
          }
          return Mono.empty();
        });
    return chain.filter(exchange);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
