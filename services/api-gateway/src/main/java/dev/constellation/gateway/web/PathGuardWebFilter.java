package dev.constellation.gateway.web;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.web.RequestPaths;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Routes match the raw path, but the services normalise it: {@code
 * /api/projects/x/files/../../../internal/y} would match a public route here and reach {@code
 * /internal/y} there. Such paths never leave the gateway ({@link RequestPaths}, the same rule every
 * service applies itself), and neither does anything under /internal.
 */
final class PathGuardWebFilter implements WebFilter, Ordered {
  static final int ORDER = FilterOrder.PATH_GUARD;

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String raw = exchange.getRequest().getURI().getRawPath();
    String ambiguity = RequestPaths.ambiguity(raw);
    if (ambiguity != null) {
      // Answer, then close the connection, as nginx and Tomcat do after a 400: Reactor Netty
      // sometimes left a connection whose request had a ';' in its path waiting, so the next
      // request sent on it got no answer at all (KeepAliveAfterRefusalIT).
      exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
      return Mono.error(
          new ApiException(
              ProblemType.AMBIGUOUS_PATH,
              "The path contains " + ambiguity + "; send it in plain form."));
    }
    if (RequestPaths.isInternal(RequestPaths.normalized(raw))) {
      return Mono.error(ApiException.notFound("There is nothing at this path."));
    }
    return chain.filter(exchange);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
