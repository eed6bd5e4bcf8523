package dev.constellation.gateway.preview;

import dev.constellation.common.auth.AccessToken;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.common.preview.PreviewHosts;
import dev.constellation.common.preview.PreviewShares;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.project.ProjectIds;
import dev.constellation.gateway.security.CurrentUser;
import dev.constellation.gateway.web.RequestContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The IDE-origin half of previews: a member asks for a preview session (a URL on the preview origin
 * carrying a one-time ticket), an owner makes or revokes a port's read-only share link.
 */
@RestController
class PreviewController {
  private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+");

  record PreviewSessionRequest(@Nullable String path) {}

  record PreviewSessionResponse(String url) {}

  record ShareRequest(@Nullable Integer expiresInMinutes) {}

  record ShareResponse(String url, Instant expiresAt) {}

  /** What a share link's token says; valid only while {@link PreviewShares} holds the same id. */
  record ShareToken(String projectId, int port, String id, long expiresAt) {}

  private final PreviewProperties properties;
  private final PreviewTickets tickets;
  private final PreviewServices services;
  private final SignedValues shareTokens;
  private final JwtCodec jwt;
  private final ReactiveStringRedisTemplate redis;
  private final JsonMapper json;
  private final Clock clock;

  PreviewController(
      PreviewProperties properties,
      PreviewTickets tickets,
      PreviewServices services,
      PreviewConfiguration.ShareTokens shareTokens,
      JwtCodec jwt,
      ReactiveStringRedisTemplate redis,
      JsonMapper json,
      Clock clock) {
    this.properties = properties;
    this.tickets = tickets;
    this.services = services;
    this.shareTokens = shareTokens.values();
    this.jwt = jwt;
    this.redis = redis;
    this.json = json;
    this.clock = clock;
  }

  @PostMapping("/api/projects/{projectId}/ports/{port}/preview-session")
  Mono<PreviewSessionResponse> previewSession(
      @PathVariable String projectId,
      @PathVariable int port,
      @RequestBody(required = false) PreviewSessionRequest body,
      ServerWebExchange exchange) {
    AuthenticatedUser user = CurrentUser.require(exchange);
    checkTarget(projectId, port);
    String path = body == null || body.path() == null ? "/" : body.path();
    if (safePath(path) == null) {
      throw ApiException.validation(
          "path", "The path must be relative to the preview, like /app?x=1.");
    }
    // The filter verified this token already; read its version and sign-in to bind the session.
    AccessToken token = jwt.verifyAccess(bearer(exchange));
    String ideOrigin = ideOrigin(exchange);
    return requireRole(user, projectId, false)
        .then(
            tickets.issue(
                new PreviewTickets.Ticket(
                    user.id(),
                    projectId,
                    port,
                    token.version(),
                    token.sessionId(),
                    path,
                    ideOrigin)))
        .map(
            ticket ->
                new PreviewSessionResponse(
                    previewOrigin(exchange, projectId, port)
                        + PreviewWebFilter.AUTH_PATH
                        + "?ticket="
                        + ticket
                        + "&path="
                        + URLEncoder.encode(path, StandardCharsets.UTF_8)));
  }

  @PostMapping("/api/projects/{projectId}/ports/{port}/share")
  Mono<ShareResponse> share(
      @PathVariable String projectId,
      @PathVariable int port,
      @RequestBody(required = false) ShareRequest body,
      ServerWebExchange exchange) {
    AuthenticatedUser user = CurrentUser.require(exchange);
    checkTarget(projectId, port);
    int minutes = body == null || body.expiresInMinutes() == null ? 60 : body.expiresInMinutes();
    if (minutes < 1 || minutes > 1440) {
      throw ApiException.validation("expiresInMinutes", "Share links last 1 to 1440 minutes.");
    }
    Instant expires = clock.instant().plus(Duration.ofMinutes(minutes));
    String id = PreviewTickets.randomId();
    String token = shareTokens.sign(new ShareToken(projectId, port, id, expires.toEpochMilli()));
    String url =
        previewOrigin(exchange, projectId, port) + PreviewWebFilter.AUTH_PATH + "?share=" + token;
    var stored = new PreviewShares.Share(id, url, expires.toEpochMilli());
    return requireRole(user, projectId, true)
        .then(
            redis
                .opsForValue()
                .set(
                    PreviewShares.key(projectId, port),
                    json.writeValueAsString(stored),
                    Duration.ofMinutes(minutes)))
        .thenReturn(new ShareResponse(url, expires));
  }

  @DeleteMapping("/api/projects/{projectId}/ports/{port}/share")
  Mono<ResponseEntity<Void>> revokeShare(
      @PathVariable String projectId, @PathVariable int port, ServerWebExchange exchange) {
    AuthenticatedUser user = CurrentUser.require(exchange);
    checkTarget(projectId, port);
    return requireRole(user, projectId, true)
        .then(redis.delete(PreviewShares.key(projectId, port)))
        .thenReturn(ResponseEntity.noContent().build());
  }

  private static void checkTarget(String projectId, int port) {
    ProjectIds.requireValid(projectId);
    if (!PreviewHosts.validPort(port)) throw ApiException.notFound("No port " + port + ".");
  }

  private Mono<Void> requireRole(AuthenticatedUser user, String projectId, boolean owner) {
    return services
        .roleOf(user.id(), projectId)
        .flatMap(
            role -> {
              if (role.isEmpty())
                return Mono.error(
                    ApiException.notFound("No project " + projectId + " visible to you."));
              if (owner && !"OWNER".equals(role.get()))
                return Mono.error(
                    ApiException.forbidden("Only the project's owners may share its ports."));
              return Mono.empty();
            });
  }

  /** The preview origin: PREVIEW_PUBLIC_URL's scheme and port, else those of this IDE request. */
  private String previewOrigin(ServerWebExchange exchange, String projectId, int port) {
    URI configured = properties.publicUrl();
    if (configured != null) return PreviewHosts.origin(projectId, port, configured);
    String scheme = RequestContext.secure(exchange) ? "https" : "http";
    URI ide =
        URI.create(scheme + "://" + exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST));
    return PreviewHosts.origin(
        projectId,
        port,
        URI.create(
            scheme + "://" + properties.domain() + (ide.getPort() < 0 ? "" : ":" + ide.getPort())));
  }

  /** The IDE's origin as the browser named it (it frames the preview), else this request's. */
  private static String ideOrigin(ServerWebExchange exchange) {
    String origin = exchange.getRequest().getHeaders().getOrigin();
    if (origin != null && ORIGIN.matcher(origin).matches()) return origin.toLowerCase();
    String scheme = RequestContext.secure(exchange) ? "https" : "http";
    return scheme
        + "://"
        + Optional.ofNullable(exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST))
            .orElse("localhost");
  }

  private static String bearer(ServerWebExchange exchange) {
    String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7))
      throw ApiException.unauthorized("Sign in first.");
    return header.substring(7).trim();
  }

  /**
   * The path to land on after the ticket: relative to the preview only ({@code /...}, not {@code
   * //host} or {@code /\host}, no control characters), so the redirect cannot leave the preview
   * origin. Null when it is not one.
   */
  static String safePath(String path) {
    if (path == null || path.isEmpty() || path.length() > 2048 || path.charAt(0) != '/')
      return null;
    if (path.length() > 1 && (path.charAt(1) == '/' || path.charAt(1) == '\\')) return null;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x21 || c == 0x7f || c == '\\') return null;
    }
    return path;
  }
}
