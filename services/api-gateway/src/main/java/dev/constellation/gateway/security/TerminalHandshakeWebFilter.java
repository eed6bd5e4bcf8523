package dev.constellation.gateway.security;

import dev.constellation.common.problem.ApiException;
import dev.constellation.gateway.web.FilterOrder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses a terminal socket at the handshake. The proxy upgrades the browser's connection before
 * it dials workspace-service, so a refusal there would reach the browser only as a close after
 * 101; here a foreign Origin gets 403 and an unknown ticket 401 before anything is upgraded.
 * workspace-service still redeems the ticket (once) and checks everything again.
 */
final class TerminalHandshakeWebFilter implements WebFilter, Ordered {
  /** Where workspace-service keeps the tickets it issues; the gateway only peeks. */
  static final String TICKET_KEY_PREFIX = "constellation:terminal-ticket:";
  private static final PathPattern TERMINAL = PathPatternParser.defaultInstance.parse("/api/projects/{id}/terminal");

  private final ReactiveStringRedisTemplate redis;
  private final JsonMapper json;
  private final List<String> allowedOrigins;

  TerminalHandshakeWebFilter(ReactiveStringRedisTemplate redis, JsonMapper json, List<String> allowedOrigins) {
    this.redis = redis;
    this.json = json;
    this.allowedOrigins = allowedOrigins;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (!PublicPaths.isTerminalUpgrade(request)) return chain.filter(exchange);
    String origin = request.getHeaders().getOrigin();
    if (origin != null && !isSameOrigin(origin, request.getHeaders().getFirst("Host")) && !allowedOrigins.contains(origin)) {
      return Mono.error(new ApiException(HttpStatus.FORBIDDEN, "foreign-origin", "Foreign origin",
          "Terminals open only from the IDE's own origin."));
    }
    var match = TERMINAL.matchAndExtract(request.getPath().pathWithinApplication());
    String projectId = match == null ? null : match.getUriVariables().get("id");
    String ticket = request.getQueryParams().getFirst("ticket");
    return redis.opsForValue().get(TICKET_KEY_PREFIX + ticket)
        .filter(holder -> projectId != null && projectId.equals(projectOf(holder)))
        .switchIfEmpty(Mono.error(() -> ApiException.unauthorized(
            "The terminal ticket is unknown, used or expired; ask for a new one.")))
        .flatMap(holder -> chain.filter(exchange));
  }

  private String projectOf(String holder) {
    try {
      Object projectId = json.readValue(holder, Map.class).get("projectId");
      return projectId == null ? null : projectId.toString();
    } catch (RuntimeException e) {
      return null;
    }
  }

  static boolean isSameOrigin(String origin, String host) {
    if (host == null) return false;
    try {
      URI uri = URI.create(origin);
      if (uri.getHost() == null) return false;
      int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      URI requested = URI.create("//" + host);
      int requestedPort = requested.getPort() != -1 ? requested.getPort() : port;
      return uri.getHost().equalsIgnoreCase(requested.getHost()) && port == requestedPort;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public int getOrder() {
    return FilterOrder.AUTHENTICATION + 1;
  }
}
