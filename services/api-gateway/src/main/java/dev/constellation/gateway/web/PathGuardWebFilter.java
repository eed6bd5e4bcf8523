package dev.constellation.gateway.web;

import dev.constellation.common.problem.ApiException;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Routes match the raw path, but the services normalise it: {@code /api/projects/x/files/../../../internal/y}
 * would match a public route here and reach {@code /internal/y} there. Such paths never leave the gateway.
 */
final class PathGuardWebFilter implements WebFilter, Ordered {
  static final int ORDER = FilterOrder.PATH_GUARD;

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String raw = exchange.getRequest().getURI().getRawPath();
    if (isSuspicious(raw)) {
      return Mono.error(ApiException.notFound("There is nothing at this path."));
    }
    return chain.filter(exchange);
  }

  static boolean isSuspicious(String rawPath) {
    if (rawPath == null) return false;
    String lower = rawPath.toLowerCase(Locale.ROOT);
    if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")
        || lower.contains("%00") || lower.contains(";")) {
      return true;
    }
    for (String segment : lower.split("/")) {
      if (segment.equals(".") || segment.equals("..")) return true;
    }
    return lower.equals("/internal") || lower.startsWith("/internal/");
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
