package dev.constellation.gateway.ratelimit;

import dev.constellation.gateway.web.ClientAddress;
import dev.constellation.gateway.web.FilterOrder;
import dev.constellation.gateway.web.RoutedPath;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Per client address: every /api request, and far fewer sign-in and sign-up attempts. */
final class ClientRateLimitWebFilter implements WebFilter, Ordered {
  private static final Set<String> AUTH_PATHS = Set.of("/api/auth/login", "/api/auth/register");

  private final RateLimiter limiter;
  private final RateLimitProperties properties;

  ClientRateLimitWebFilter(RateLimiter limiter, RateLimitProperties properties) {
    this.limiter = limiter;
    this.properties = properties;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    // The router decodes %xx before it matches: so must the choice of limit, or /api/auth/logi%6e
    // reaches the login endpoint without meeting the sign-in limit.
    String path = RoutedPath.of(exchange);
    if (!path.startsWith("/api/")) return chain.filter(exchange);
    String client = ClientAddress.of(exchange);
    Mono<Void> checks =
        limiter.consume(
            "ip:" + client,
            properties.client(),
            "Too many requests from your address; wait a moment.");
    if (HttpMethod.POST.equals(exchange.getRequest().getMethod()) && AUTH_PATHS.contains(path)) {
      checks =
          checks.then(
              limiter.consume(
                  "auth-ip:" + client,
                  properties.authClient(),
                  "Too many sign-in attempts from your address; wait before trying again."));
    }
    return checks.then(chain.filter(exchange));
  }

  @Override
  public int getOrder() {
    return FilterOrder.CLIENT_RATE_LIMIT;
  }
}
