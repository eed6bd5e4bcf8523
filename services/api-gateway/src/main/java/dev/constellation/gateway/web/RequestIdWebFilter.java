package dev.constellation.gateway.web;

import dev.constellation.common.web.RequestIds;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Accepts the client's X-Request-Id when it is safe, or makes one; echoes it, forwards it to the
 * services (the mutated request is what the proxy sends) and puts it in the logging context.
 */
final class RequestIdWebFilter implements WebFilter, Ordered {
  static final int ORDER = FilterOrder.REQUEST_ID;

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String id =
        RequestIds.acceptOrCreate(exchange.getRequest().getHeaders().getFirst(RequestIds.HEADER));
    exchange.getAttributes().put(RequestContext.REQUEST_ID_ATTR, id);
    exchange.getResponse().getHeaders().set(RequestIds.HEADER, id);
    ServerWebExchange withId =
        exchange.mutate().request(r -> r.headers(h -> h.set(RequestIds.HEADER, id))).build();
    return chain.filter(withId).contextWrite(ctx -> ctx.put(RequestIds.MDC_KEY, id));
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
