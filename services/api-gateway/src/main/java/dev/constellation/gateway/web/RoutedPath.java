package dev.constellation.gateway.web;

import java.nio.charset.StandardCharsets;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;

/**
 * The path as routes and controllers match it: percent-decoded ({@code /api/auth/logi%6e} is the
 * login endpoint to the router), repeated slashes and a trailing slash dropped. Decisions that must
 * agree with routing — which limit applies — use this, never the raw path. Paths the router and a
 * service could read differently ({@code ;}, dot segments, encoded {@code / . \}) never get this
 * far: {@link PathGuardWebFilter} refuses them first.
 */
public final class RoutedPath {
  private RoutedPath() {}

  public static String of(ServerWebExchange exchange) {
    return normalize(exchange.getRequest().getPath().pathWithinApplication().value());
  }

  static String normalize(String rawPath) {
    String decoded;
    try {
      decoded = UriUtils.decode(rawPath, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      decoded = rawPath;
    }
    String collapsed = decoded.replaceAll("/{2,}", "/");
    if (collapsed.length() > 1 && collapsed.endsWith("/"))
      collapsed = collapsed.substring(0, collapsed.length() - 1);
    return collapsed;
  }
}
