package dev.constellation.gateway.security;

import dev.constellation.common.auth.AccessToken;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.InvalidTokenException;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.common.auth.TokenRevocations;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.web.RequestIds;
import dev.constellation.gateway.metrics.ActiveUsers;
import dev.constellation.gateway.metrics.GatewayMetrics;
import dev.constellation.gateway.metrics.GatewayMetrics.AuthFailure;
import dev.constellation.gateway.web.FilterOrder;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Verifies the access token of every /api request except the public ones, and refuses revoked
 * tokens (signed out, disabled, demoted, password changed) at once; see {@link TokenRevocations}.
 * The Authorization header is forwarded unchanged: each service verifies again.
 */
final class JwtWebFilter implements WebFilter, Ordered {
  private final JwtCodec codec;
  private final ReactiveStringRedisTemplate redis;
  private final GatewayMetrics metrics;
  private final ActiveUsers activeUsers;

  JwtWebFilter(
      JwtCodec codec,
      ReactiveStringRedisTemplate redis,
      GatewayMetrics metrics,
      ActiveUsers activeUsers) {
    this.codec = codec;
    this.redis = redis;
    this.metrics = metrics;
    this.activeUsers = activeUsers;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String token = bearerToken(exchange.getRequest().getHeaders());
    boolean required = PublicPaths.needsToken(exchange.getRequest());
    if (!required && token == null) {
      return chain.filter(exchange);
    }
    AccessToken verified;
    try {
      verified = codec.verifyAccess(token);
    } catch (InvalidTokenException e) {
      if (!required) return chain.filter(exchange);
      metrics.authFailure(AuthFailure.INVALID_TOKEN);
      return Mono.error(
          ApiException.unauthorized(
              "The access token is missing or invalid (" + e.getMessage() + "); sign in again."));
    }
    AuthenticatedUser user = verified.user();
    return TokenRevocations.check(verified, redis)
        .doOnError(
            ApiException.class,
            e -> {
              if (e.status().value() == 401) metrics.authFailure(AuthFailure.REVOKED_TOKEN);
            })
        .flatMap(
            ok -> {
              exchange.getAttributes().put(CurrentUser.ATTRIBUTE, user);
              return activeUsers.seen(user.id()).then(chain.filter(exchange));
            })
        .contextWrite(ctx -> ctx.put(RequestIds.USER_MDC_KEY, user.id()));
  }

  static String bearerToken(HttpHeaders headers) {
    String header = headers.getFirst(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = header.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }

  @Override
  public int getOrder() {
    return FilterOrder.AUTHENTICATION;
  }
}
