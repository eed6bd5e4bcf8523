package dev.constellation.gateway.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One log line per finished request: method, path (never the query, which may carry a terminal
 * ticket), status and duration, with the request, user and route ids read from the exchange.
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
    HttpStatusCode status = exchange.getResponse().getStatusCode();
    try (var scope = RequestContext.logScope(exchange)) {
      access.info(
          "{} {} {} {} ms",
          exchange.getRequest().getMethod(),
          path,
          status == null ? 200 : status.value(),
          (System.nanoTime() - started) / 1000 / 1000.0);
    }
  }

  @Override
  public int getOrder() {
    return FilterOrder.ACCESS_LOG;
  }
}
