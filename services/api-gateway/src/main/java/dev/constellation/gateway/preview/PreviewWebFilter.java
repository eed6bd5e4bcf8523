package dev.constellation.gateway.preview;

import dev.constellation.common.auth.AccessToken;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.TokenRevocations;
import dev.constellation.common.preview.PreviewHosts;
import dev.constellation.common.preview.PreviewShares;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.gateway.web.FilterOrder;
import dev.constellation.gateway.web.RequestContext;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The preview origins. A request whose Host is under the preview domain ends here, whatever its
 * path: it is authenticated by the preview cookie of that very host (set from a one-time ticket or
 * a share link at {@value #AUTH_PATH}) and proxied to that project's workspace, or refused. It
 * never reaches the IDE's filters, routes, headers or token handling, and no IDE path serves a
 * preview.
 */
final class PreviewWebFilter implements WebFilter, Ordered {
  static final String AUTH_PATH = "/.constellation/preview-auth";
  static final String COOKIE = "constellation_preview";

  private final PreviewProperties properties;
  private final PreviewTickets tickets;
  private final PreviewServices services;
  private final PreviewProxy proxy;
  private final PreviewPages pages;
  private final SignedValues cookies;
  private final SignedValues shareTokens;
  private final ReactiveStringRedisTemplate redis;
  private final JsonMapper json;
  private final Clock clock;

  PreviewWebFilter(
      PreviewProperties properties,
      PreviewTickets tickets,
      PreviewServices services,
      PreviewProxy proxy,
      PreviewPages pages,
      SignedValues cookies,
      SignedValues shareTokens,
      ReactiveStringRedisTemplate redis,
      JsonMapper json,
      Clock clock) {
    this.properties = properties;
    this.tickets = tickets;
    this.services = services;
    this.proxy = proxy;
    this.pages = pages;
    this.cookies = cookies;
    this.shareTokens = shareTokens;
    this.redis = redis;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public int getOrder() {
    return FilterOrder.PREVIEW;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String host = exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST);
    if (!PreviewHosts.underDomain(host, properties.domain())) return chain.filter(exchange);
    Optional<PreviewHosts.Target> target = PreviewHosts.parse(host, properties.domain());
    if (target.isEmpty()) {
      return pages.write(exchange, ProblemType.NOT_FOUND, "No preview has this address.");
    }
    String origin =
        (RequestContext.secure(exchange) ? "https" : "http")
            + "://"
            + host.toLowerCase(Locale.ROOT);
    Mono<Void> handled =
        AUTH_PATH.equals(exchange.getRequest().getPath().value())
            ? signIn(exchange, target.get(), origin)
            : serve(exchange, target.get(), origin);
    return handled.onErrorResume(
        ApiException.class,
        e ->
            pages.write(
                exchange,
                e.status().value() == 503
                    ? ProblemType.SERVICE_UNAVAILABLE
                    : ProblemType.UNAUTHORIZED,
                e.getMessage()));
  }

  // --- /.constellation/preview-auth: ticket or share link -> cookie -> redirect ---

  private Mono<Void> signIn(ServerWebExchange exchange, PreviewHosts.Target target, String origin) {
    var request = exchange.getRequest();
    if (!HttpMethod.GET.equals(request.getMethod())) {
      return pages.write(exchange, ProblemType.METHOD_NOT_ALLOWED, "Open this address with GET.");
    }
    String ticket = request.getQueryParams().getFirst("ticket");
    String share = request.getQueryParams().getFirst("share");
    long now = clock.instant().getEpochSecond();
    Mono<PreviewGrant> grant;
    Mono<String> path;
    if (ticket != null) {
      var redeemed =
          tickets
              .redeem(ticket)
              .filter(t -> t.projectId().equals(target.projectId()) && t.port() == target.port())
              .cache();
      grant =
          redeemed.flatMap(
              t -> {
                PreviewGrant g =
                    new PreviewGrant(
                        t.projectId(),
                        t.port(),
                        t.userId(),
                        t.version(),
                        t.sessionId(),
                        null,
                        t.ideOrigin(),
                        now + properties.sessionTtl().toSeconds());
                return stillMember(g).thenReturn(g);
              });
      path = redeemed.map(t -> PreviewController.safePath(t.path()));
    } else if (share != null) {
      grant =
          Mono.justOrEmpty(shareTokens.verify(share, PreviewController.ShareToken.class))
              .filter(s -> s.projectId().equals(target.projectId()) && s.port() == target.port())
              .filter(s -> s.expiresAt() > clock.millis())
              .filterWhen(s -> shareStands(s.projectId(), s.port(), s.id()))
              .map(
                  s ->
                      new PreviewGrant(
                          s.projectId(),
                          s.port(),
                          null,
                          0,
                          null,
                          s.id(),
                          origin,
                          Math.min(
                              now + properties.sessionTtl().toSeconds(), s.expiresAt() / 1000)));
      path = Mono.just("/");
    } else {
      grant = Mono.empty();
      path = Mono.empty();
    }
    return grant
        .zipWith(path)
        .flatMap(
            gp -> {
              var response = exchange.getResponse();
              response.setStatusCode(HttpStatus.FOUND);
              HttpHeaders h = response.getHeaders();
              h.set(HttpHeaders.LOCATION, gp.getT2());
              h.set(HttpHeaders.CACHE_CONTROL, "no-store");
              h.set("Referrer-Policy", "no-referrer");
              h.add(HttpHeaders.SET_COOKIE, setCookie(cookies.sign(gp.getT1()), origin));
              return response.setComplete();
            })
        .switchIfEmpty(Mono.defer(() -> pages.needsSession(exchange)));
  }

  private String setCookie(String value, String origin) {
    StringBuilder c =
        new StringBuilder(COOKIE)
            .append('=')
            .append(value)
            .append("; Path=/; Max-Age=")
            .append(properties.sessionTtl().toSeconds())
            .append("; HttpOnly");
    if (properties.cookieSameSite().equals("None")) {
      // Embedded in the IDE (another site), the cookie must be third-party: SameSite=None needs
      // Secure, which Chromium grants on http://*.localhost; Partitioned keeps it to the IDE's
      // frame where third-party cookies are blocked.
      c.append("; SameSite=None; Secure; Partitioned");
    } else {
      c.append("; SameSite=Lax");
      if (origin.startsWith("https:")) c.append("; Secure");
    }
    return c.toString();
  }

  // --- everything else on the preview host: cookie -> checks -> proxy ---

  private Mono<Void> serve(ServerWebExchange exchange, PreviewHosts.Target target, String origin) {
    var request = exchange.getRequest();
    HttpCookie cookie = request.getCookies().getFirst(COOKIE);
    Optional<PreviewGrant> verified =
        cookie == null ? Optional.empty() : cookies.verify(cookie.getValue(), PreviewGrant.class);
    if (verified.isEmpty()
        || !verified.get().projectId().equals(target.projectId())
        || verified.get().port() != target.port()
        || verified.get().expiresAt() <= clock.instant().getEpochSecond()) {
      return pages.needsSession(exchange);
    }
    PreviewGrant grant = verified.get();
    boolean upgrade = "websocket".equalsIgnoreCase(request.getHeaders().getUpgrade());
    if (upgrade) {
      String requestOrigin = request.getHeaders().getOrigin();
      if (requestOrigin == null
          || !(requestOrigin.equalsIgnoreCase(origin)
              || requestOrigin.equalsIgnoreCase(grant.ideOrigin()))) {
        return pages.write(
            exchange,
            ProblemType.FOREIGN_ORIGIN,
            "Preview WebSockets open only from the preview itself or the IDE.");
      }
    }
    Mono<Void> allowed;
    if (grant.readOnly()) {
      if (upgrade) {
        return pages.write(
            exchange, ProblemType.FORBIDDEN, "Share links are read-only: no WebSockets.");
      }
      HttpMethod method = request.getMethod();
      if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
        return pages.write(
            exchange,
            ProblemType.METHOD_NOT_ALLOWED,
            "Share links are read-only: GET and HEAD only.");
      }
      allowed =
          shareStands(grant.projectId(), grant.port(), grant.shareId())
              .flatMap(
                  ok ->
                      ok
                          ? Mono.<Void>empty()
                          : Mono.error(
                              ApiException.unauthorized(
                                  "This share link was revoked or has expired; ask the project's owner for a new one.")));
    } else {
      allowed = stillMember(grant);
    }
    return allowed.then(
        services
            .target(grant.projectId(), grant.port())
            .flatMap(
                t ->
                    t.isPresent()
                        ? proxy.forward(exchange, t.get(), origin, grant.ideOrigin())
                        : pages.write(
                            exchange,
                            ProblemType.NOT_FOUND,
                            "Nothing listens on port "
                                + grant.port()
                                + " in this project's workspace (or the workspace is stopped).")));
  }

  /** The member's sign-in and token version still stand and the user is still a member. */
  private Mono<Void> stillMember(PreviewGrant grant) {
    var token =
        new AccessToken(
            new AuthenticatedUser(grant.userId(), "", Set.of()),
            grant.version(),
            grant.sessionId());
    return TokenRevocations.check(token, redis)
        .then(services.roleOf(grant.userId(), grant.projectId()))
        .flatMap(
            role ->
                role.isPresent()
                    ? Mono.empty()
                    : Mono.error(
                        ApiException.unauthorized(
                            "You are no longer a member of this project, so its previews are closed to you.")));
  }

  private Mono<Boolean> shareStands(String projectId, int port, String shareId) {
    return redis
        .opsForValue()
        .get(PreviewShares.key(projectId, port))
        .map(v -> json.readValue(v, PreviewShares.Share.class))
        .map(s -> s.id().equals(shareId) && s.expiresAt() > clock.millis())
        .onErrorMap(e -> !(e instanceof ApiException), e -> TokenRevocations.unavailable())
        .defaultIfEmpty(false);
  }
}
