package dev.constellation.gateway.web;

import dev.constellation.common.web.RequestIds;
import io.micrometer.context.ContextRegistry;
import java.util.List;
import org.slf4j.MDC;
import org.springframework.web.server.ServerWebExchange;

/**
 * What a request carries through the reactive chain: the exchange attributes code reads, and the
 * Reactor context keys that the context-propagation library copies into the MDC on every thread
 * hop, so that each log line names its request, user and route.
 */
public final class RequestContext {
  public static final String REQUEST_ID_ATTR = RequestContext.class.getName() + ".requestId";

  private static final List<String> MDC_KEYS =
      List.of(RequestIds.MDC_KEY, RequestIds.USER_MDC_KEY, RequestIds.ROUTE_MDC_KEY);

  private RequestContext() {}

  /** Idempotent; called once at start-up before any request runs. */
  public static void registerMdcAccessors() {
    ContextRegistry registry = ContextRegistry.getInstance();
    for (String key : MDC_KEYS) {
      registry.registerThreadLocalAccessor(
          key, () -> MDC.get(key), value -> MDC.put(key, value), () -> MDC.remove(key));
    }
  }

  /** Whether the client reached us over TLS (directly or through a trusted proxy). */
  public static boolean secure(ServerWebExchange exchange) {
    return Boolean.TRUE.equals(exchange.getAttribute(IncomingHeadersWebFilter.SECURE_ATTR));
  }

  public static String requestId(ServerWebExchange exchange) {
    return exchange.getAttribute(REQUEST_ID_ATTR);
  }
}
