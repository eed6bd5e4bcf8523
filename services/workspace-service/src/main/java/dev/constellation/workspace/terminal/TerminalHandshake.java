package dev.constellation.workspace.terminal;

import dev.constellation.common.auth.DisabledUsers;
import dev.constellation.workspace.config.ProjectDirectories;
import dev.constellation.workspace.config.WorkspaceProperties;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Admits a terminal WebSocket only with a valid one-time ticket for this project and, when the
 * client is a browser (it sends Origin), only from the request's own host or a configured origin:
 * a page on another site must not be able to drive a shell (cross-site WebSocket hijacking).
 */
@Component
class TerminalHandshake implements HandshakeInterceptor {
  static final String HOLDER = "terminal.holder";
  static final String PROJECT = "terminal.project";
  private static final Logger log = LoggerFactory.getLogger(TerminalHandshake.class);

  private final TerminalTickets tickets;
  private final StringRedisTemplate redis;
  private final List<String> allowedOrigins;

  TerminalHandshake(TerminalTickets tickets, StringRedisTemplate redis, WorkspaceProperties properties) {
    this.tickets = tickets;
    this.redis = redis;
    this.allowedOrigins = properties.terminal().allowedOrigins().stream().map(TerminalHandshake::normalizeOrigin).toList();
  }

  @Override
  public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Map<String, Object> attributes) {
    String projectId = projectIdOf(request.getURI());
    if (projectId == null) {
      response.setStatusCode(HttpStatus.NOT_FOUND);
      return false;
    }
    if (!originAllowed(request.getHeaders())) {
      log.warn("refused terminal WebSocket for project {}: foreign origin {}", projectId, request.getHeaders().getOrigin());
      response.setStatusCode(HttpStatus.FORBIDDEN);
      return false;
    }
    String ticket = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("ticket");
    Optional<TerminalTickets.Holder> holder = tickets.redeem(ticket, projectId);
    if (holder.isEmpty()) {
      response.setStatusCode(HttpStatus.UNAUTHORIZED);
      return false;
    }
    if (Boolean.TRUE.equals(redis.hasKey(DisabledUsers.key(holder.get().userId())))) {
      response.setStatusCode(HttpStatus.UNAUTHORIZED);
      return false;
    }
    attributes.put(HOLDER, holder.get());
    attributes.put(PROJECT, projectId);
    return true;
  }

  @Override
  public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception exception) {}

  static String projectIdOf(URI uri) {
    String[] parts = uri.getPath().split("/");
    // /api/projects/{id}/terminal
    if (parts.length != 5 || !"terminal".equals(parts[4])) return null;
    try {
      ProjectDirectories.requireValidId(parts[3]);
      return parts[3];
    } catch (RuntimeException e) {
      return null;
    }
  }

  boolean originAllowed(HttpHeaders headers) {
    String origin = headers.getOrigin();
    if (origin == null) return true; // not a browser: the ticket alone authorizes it
    String normalized = normalizeOrigin(origin);
    if (allowedOrigins.contains(normalized)) return true;
    String originAuthority;
    try {
      URI uri = URI.create(origin);
      if (uri.getHost() == null) return false;
      originAuthority = uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (String host : List.of(nullToEmpty(headers.getFirst("X-Forwarded-Host")), nullToEmpty(headers.getFirst(HttpHeaders.HOST)))) {
      String first = host.split(",")[0].trim().toLowerCase(Locale.ROOT);
      if (!first.isEmpty() && (first.equals(originAuthority) || withoutDefaultPort(first).equals(originAuthority))) return true;
    }
    return false;
  }

  private static String withoutDefaultPort(String authority) {
    return authority.endsWith(":80") || authority.endsWith(":443") ? authority.substring(0, authority.lastIndexOf(':')) : authority;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String normalizeOrigin(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }
}
