package dev.constellation.gateway.ratelimit;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.gateway.security.CurrentUser;
import dev.constellation.gateway.web.FilterOrder;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Per signed-in user, whichever addresses they call from. */
final class UserRateLimitWebFilter implements WebFilter, Ordered {
  private final RateLimiter limiter;
  private final RateLimitProperties properties;

  UserRateLimitWebFilter(RateLimiter limiter, RateLimitProperties properties) {
    this.limiter = limiter;
    this.properties = properties;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    AuthenticatedUser user = CurrentUser.orNull(exchange);
    if (user == null) return chain.filter(exchange);
    return limiter
        .consume(
            "user:" + user.id(), properties.user(), "You are sending too many requests; slow down.")
        .then(chain.filter(exchange));
  }

  @Override
  public int getOrder() {
    return FilterOrder.USER_RATE_LIMIT;
  }
}
