package dev.constellation.gateway.routing;

import dev.constellation.common.web.RequestIds;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Names the route of a proxied request in the logs and in http.server.requests, whose uri tag would
 * otherwise read UNKNOWN for everything the gateway forwards.
 */
@Component
class RouteTagFilter implements GlobalFilter, Ordered {

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
    if (route == null) return chain.filter(exchange);
    String pattern =
        exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_PREDICATE_MATCHED_PATH_ATTR);
    ServerRequestObservationContext.findCurrent(exchange.getAttributes())
        .ifPresent(
            context -> context.setPathPattern(pattern != null ? pattern : "/" + route.getId()));
    return chain
        .filter(exchange)
        .contextWrite(ctx -> ctx.put(RequestIds.ROUTE_MDC_KEY, route.getId()));
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
