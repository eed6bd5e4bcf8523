package dev.constellation.workspace.lsp;

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
 * Admits a language-server WebSocket on the terminals' rules: the IDE's own origin only, and a
 * one-time ticket issued for this project and this language (a terminal ticket does not do).
 */
@Component
class LanguageServerHandshake implements HandshakeInterceptor {
  static final String HOLDER = "lsp.holder";
  static final String PROJECT = "lsp.project";
  static final String LANGUAGE = "lsp.language";

  private static final Logger log = LoggerFactory.getLogger(LanguageServerHandshake.class);

  private final TerminalTickets tickets;
  private final StringRedisTemplate redis;
  private final List<String> allowedOrigins;

  LanguageServerHandshake(
      TerminalTickets tickets, StringRedisTemplate redis, WorkspaceProperties properties) {
    this.tickets = tickets;
    this.redis = redis;
    this.allowedOrigins = List.copyOf(properties.terminal().allowedOrigins());
  }

  record Target(String projectId, String language) {}

  @Override
  public boolean beforeHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Map<String, Object> attributes) {
    Target target = targetOf(request.getURI());
    if (target == null || Languages.command(target.language()).isEmpty()) {
      response.setStatusCode(HttpStatus.NOT_FOUND);
      return false;
    }
    HttpHeaders headers = request.getHeaders();
    if (!TerminalOrigins.allowed(
        headers.getOrigin(), headers.getFirst(HttpHeaders.HOST), allowedOrigins)) {
      log.warn(
          "refused language-server WebSocket for project {}: foreign or missing origin {}",
          target.projectId(),
          headers.getOrigin());
      response.setStatusCode(HttpStatus.FORBIDDEN);
      return false;
    }
    String ticket =
        UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("ticket");
    Optional<TerminalTicket> holder =
        tickets.redeem(ticket, target.projectId(), TerminalTickets.lsp(target.language()));
    if (holder.isEmpty()
        || Boolean.TRUE.equals(redis.hasKey(DisabledUsers.key(holder.get().userId())))) {
      response.setStatusCode(HttpStatus.UNAUTHORIZED);
      return false;
    }
    attributes.put(HOLDER, holder.get());
    attributes.put(PROJECT, target.projectId());
    attributes.put(LANGUAGE, target.language());
    return true;
  }

  @Override
  public void afterHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Exception exception) {}

  /** /api/projects/{id}/lsp/{language}, or null. */
  static Target targetOf(URI uri) {
    String[] parts = uri.getPath().split("/");
    if (parts.length != 6 || !"lsp".equals(parts[4])) return null;
    try {
      ProjectDirectories.requireValidId(parts[3]);
      return new Target(parts[3], parts[5]);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
