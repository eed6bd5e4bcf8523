package dev.constellation.gateway.security;

import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/** The /api requests that need no access token. */
final class PublicPaths {
  private static final Set<String> ANONYMOUS =
      Set.of(
          "/api/auth/register",
          "/api/auth/login",
          "/api/auth/refresh",
          "/api/auth/logout",
          "/api/health");

  // Browsers cannot put an Authorization header on a WebSocket; the one-time ticket that
  // workspace-service issues (to an authenticated caller) and checks is the credential instead.
  private static final PathPattern TERMINAL =
      PathPatternParser.defaultInstance.parse("/api/projects/{id}/terminal");
  static final PathPattern LANGUAGE_SERVER =
      PathPatternParser.defaultInstance.parse("/api/projects/{id}/lsp/{language}");

  private PublicPaths() {}

  static boolean needsToken(ServerHttpRequest request) {
    String path = request.getPath().pathWithinApplication().value();
    if (!path.startsWith("/api/")) return false;
    if (ANONYMOUS.contains(path)) return false;
    if (HttpMethod.GET.equals(request.getMethod()) && path.equals("/api/templates")) return false;
    return !isTerminalUpgrade(request);
  }

  /** A terminal or language-server socket: both are opened with a one-time ticket. */
  static boolean isTerminalUpgrade(ServerHttpRequest request) {
    return HttpMethod.GET.equals(request.getMethod())
        && "websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())
        && request.getQueryParams().containsKey("ticket")
        && (TERMINAL.matches(request.getPath().pathWithinApplication())
            || LANGUAGE_SERVER.matches(request.getPath().pathWithinApplication()));
  }
}
