package dev.constellation.gateway.web;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.web.RequestIds;
import dev.constellation.gateway.security.CurrentUser;
import java.util.List;
import org.slf4j.MDC;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.util.context.ContextView;

/**
 * What a request carries through the reactive chain: the exchange attributes code reads, the
 * Reactor context keys with its request, user and route ids, and the log scope that puts those ids
 * in the MDC where a line about the request is written.
 *
 * <p>Reactor could copy them into the MDC on every operator hop ({@code context-propagation: auto})
 * so that any line anywhere names its request; that cost about a tenth of the gateway's CPU per
 * proxied request (JFR, 2026-12-07), for the few lines a request logs. So the places that log about
 * a request open a {@link #logScope} instead.
 */
public final class RequestContext {
  public static final String REQUEST_ID_ATTR = RequestContext.class.getName() + ".requestId";

  private static final List<String> MDC_KEYS =
      List.of(RequestIds.MDC_KEY, RequestIds.USER_MDC_KEY, RequestIds.ROUTE_MDC_KEY);

  private RequestContext() {}

  /** The request's ids in the MDC until closed: for code that has the exchange. */
  public static LogScope logScope(ServerWebExchange exchange) {
    AuthenticatedUser user = CurrentUser.orNull(exchange);
    Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
    return open(
        requestId(exchange), user == null ? null : user.id(), route == null ? null : route.getId());
  }

  /** The same, from the Reactor context: for code deep in a chain that has no exchange. */
  public static LogScope logScope(ContextView context) {
    return open(
        context.getOrDefault(RequestIds.MDC_KEY, null),
        context.getOrDefault(RequestIds.USER_MDC_KEY, null),
        context.getOrDefault(RequestIds.ROUTE_MDC_KEY, null));
  }

  private static LogScope open(String requestId, String userId, String routeId) {
    put(RequestIds.MDC_KEY, requestId);
    put(RequestIds.USER_MDC_KEY, userId);
    put(RequestIds.ROUTE_MDC_KEY, routeId);
    return () -> MDC_KEYS.forEach(MDC::remove);
  }

  private static void put(String key, String value) {
    if (value == null) MDC.remove(key);
    else MDC.put(key, value);
  }

  /** Closing removes the ids again: event-loop threads serve many requests. */
  public interface LogScope extends AutoCloseable {
    @Override
    void close();
  }

  /** Whether the client reached us over TLS (directly or through a trusted proxy). */
  public static boolean secure(ServerWebExchange exchange) {
    return Boolean.TRUE.equals(exchange.getAttribute(IncomingHeadersWebFilter.SECURE_ATTR));
  }

  public static String requestId(ServerWebExchange exchange) {
    return exchange.getAttribute(REQUEST_ID_ATTR);
  }
}
