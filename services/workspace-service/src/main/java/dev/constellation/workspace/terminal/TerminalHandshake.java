package dev.constellation.workspace.terminal;

import dev.constellation.common.auth.DisabledUsers;
import dev.constellation.common.terminal.TerminalOrigins;
import dev.constellation.common.terminal.TerminalTicket;
import dev.constellation.common.terminal.TerminalTickets;
import dev.constellation.workspace.config.ProjectDirectories;
import dev.constellation.workspace.config.WorkspaceProperties;
import java.net.URI;
import java.util.List;
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
 * Admits a terminal WebSocket only from the IDE's own origin ({@link TerminalOrigins}) and with a
 * valid one-time ticket for this project ({@link TerminalTickets}): a page on another site must not
 * be able to drive a shell (cross-site WebSocket hijacking).
 */
@Component
class TerminalHandshake implements HandshakeInterceptor {
  static final String HOLDER = "terminal.holder";
  static final String PROJECT = "terminal.project";

  /** The session to reattach ({@code session=} in the query); absent for a new session. */
  static final String SESSION = "terminal.session";

  private static final Logger log = LoggerFactory.getLogger(TerminalHandshake.class);

  private final TerminalTickets tickets;
  private final StringRedisTemplate redis;
  private final List<String> allowedOrigins;

  TerminalHandshake(
      TerminalTickets tickets, StringRedisTemplate redis, WorkspaceProperties properties) {
    this.tickets = tickets;
    this.redis = redis;
    this.allowedOrigins = List.copyOf(properties.terminal().allowedOrigins());
  }

  @Override
  public boolean beforeHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Map<String, Object> attributes) {
    String projectId = projectIdOf(request.getURI());
    if (projectId == null) {
      response.setStatusCode(HttpStatus.NOT_FOUND);
      return false;
    }
    if (!originAllowed(request.getHeaders())) {
      log.warn(
          "refused terminal WebSocket for project {}: foreign or missing origin {}",
          projectId,
          request.getHeaders().getOrigin());
      response.setStatusCode(HttpStatus.FORBIDDEN);
      return false;
    }
    var query = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams();
    String ticket = query.getFirst("ticket");
    Optional<TerminalTicket> holder = tickets.redeem(ticket, projectId);
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
    String session = query.getFirst("session");
    if (session != null) attributes.put(SESSION, session);
    return true;
  }

  @Override
  public void afterHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Exception exception) {}

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
    return TerminalOrigins.allowed(
        headers.getOrigin(), headers.getFirst(HttpHeaders.HOST), allowedOrigins);
  }
}
