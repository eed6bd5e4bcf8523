package dev.constellation.gateway.web;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.web.RequestIds;
import dev.constellation.gateway.security.CurrentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One log line per finished request: method, path (never the query, which may carry a terminal
 * ticket), status and duration. User and route are set further down the chain, in a Reactor context
 * this filter cannot see, so they are read from the exchange and put in the MDC here.
 */
final class AccessLogWebFilter implements WebFilter, Ordered {
  private static final Logger access = LoggerFactory.getLogger("dev.constellation.access");

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    if (path.startsWith("/actuator")) return chain.filter(exchange);
    long started = System.nanoTime();
    return chain.filter(exchange).doFinally(signal -> log(exchange, path, started));
  }

  private static void log(ServerWebExchange exchange, String path, long started) {
    AuthenticatedUser user = CurrentUser.orNull(exchange);
    Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
    HttpStatusCode status = exchange.getResponse().getStatusCode();
    String requestId = RequestContext.requestId(exchange);
    put(RequestIds.MDC_KEY, requestId);
    put(RequestIds.USER_MDC_KEY, user == null ? null : user.id());
    put(RequestIds.ROUTE_MDC_KEY, route == null ? null : route.getId());
    try {
      access.info(
          "{} {} {} {} ms",
          exchange.getRequest().getMethod(),
          path,
          status == null ? 200 : status.value(),
          (System.nanoTime() - started) / 1000 / 1000.0);
    } finally {
      MDC.remove(RequestIds.MDC_KEY);
      MDC.remove(RequestIds.USER_MDC_KEY);
      MDC.remove(RequestIds.ROUTE_MDC_KEY);
    }
  }

  private static void put(String key, String value) {
    if (value == null) MDC.remove(key);
    else MDC.put(key, value);
  }

  @Override
  public int getOrder() {
    return FilterOrder.ACCESS_LOG;
  }
}
