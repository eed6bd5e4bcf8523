package dev.constellation.gateway.preview;

import dev.constellation.common.auth.JwtCodec;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * What a preview request needs from the services, asked with the gateway's own service token and
 * cached briefly: the caller's role in the project (project-service, ≤ 5 s) and where a port of the
 * project's workspace is reached (workspace-service, ≤ 2 s). Only workspace-service names the
 * target — always the workspace's own address, never anything from the request.
 */
final class PreviewServices {
  private static final String SERVICE_NAME = "api-gateway";
  private static final int MAX_CACHED = 10_000;

  record Access(String projectId, String userId, String role) {}

  /**
   * The workspace's port and where to connect for it: {@code host:port}, or {@code
   * host:connectPort} when workspace-service relays it (Swarm mode); the app still sees {@code
   * port}.
   */
  record Target(String host, int port, @Nullable Integer connectPort) {
    Target(String host, int port) {
      this(host, port, null);
    }

    /** The upstream's URI: what the gateway dials. */
    URI upstream() {
      return URI.create(
          "http://" + hostLiteral() + ":" + (connectPort == null ? port : connectPort));
    }

    /** The host as it goes into a URI: an IPv6 address in brackets. */
    String hostLiteral() {
      return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
  }

  private record Cached<T>(Optional<T> value, long expiresAtNanos) {}

  private final WebClient http;
  private final JwtCodec jwt;
  private final String projectUrl;
  private final String workspaceUrl;
  private final Duration accessTtl;
  private final Duration targetTtl;
  private final Map<String, Cached<String>> roles = new ConcurrentHashMap<>();
  private final Map<String, Cached<Target>> targets = new ConcurrentHashMap<>();

  PreviewServices(
      JwtCodec jwt,
      String projectUrl,
      String workspaceUrl,
      Duration accessTtl,
      Duration targetTtl) {
    this.jwt = jwt;
    this.projectUrl = projectUrl;
    this.workspaceUrl = workspaceUrl;
    this.accessTtl = accessTtl;
    this.targetTtl = targetTtl;
    this.http =
        WebClient.builder()
            .clientConnector(
                new ReactorClientHttpConnector(
                    HttpClient.create()
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
                        .responseTimeout(Duration.ofSeconds(5))))
            .build();
  }

  /**
   * The user's role in the project, empty when not a member or no such project (project-service
   * answers a null role for both).
   */
  Mono<Optional<String>> roleOf(String userId, String projectId) {
    URI uri =
        URI.create(
            projectUrl
                + "/internal/projects/"
                + projectId
                + "/access?userId="
                + java.net.URLEncoder.encode(userId, java.nio.charset.StandardCharsets.UTF_8));
    return cached(
        roles,
        userId + "/" + projectId,
        accessTtl,
        get(uri, Access.class).flatMap(a -> Mono.justOrEmpty(a.role())));
  }

  /** Where port {@code port} of the project's workspace listens now, empty when it does not. */
  Mono<Optional<Target>> target(String projectId, int port) {
    URI uri =
        URI.create(workspaceUrl + "/internal/projects/" + projectId + "/ports/" + port + "/target");
    return cached(targets, projectId + "/" + port, targetTtl, get(uri, Target.class));
  }

  private <T> Mono<T> get(URI uri, Class<T> type) {
    return http.get()
        .uri(uri)
        .header("Authorization", "Bearer " + jwt.signServiceToken(SERVICE_NAME))
        .retrieve()
        .bodyToMono(type);
  }

  private static <T> Mono<Optional<T>> cached(
      Map<String, Cached<T>> cache, String key, Duration ttl, Mono<T> fetch) {
    long now = System.nanoTime();
    Cached<T> hit = cache.get(key);
    if (hit != null && hit.expiresAtNanos() - now > 0) return Mono.just(hit.value());
    return fetch
        .map(Optional::of)
        .onErrorResume(
            WebClientResponseException.class,
            e ->
                e.getStatusCode().value() == HttpStatus.NOT_FOUND.value()
                    ? Mono.just(Optional.empty())
                    : Mono.error(unavailable()))
        .onErrorMap(e -> !(e instanceof ApiException), e -> unavailable())
        .defaultIfEmpty(Optional.empty())
        .doOnNext(
            value -> {
              if (cache.size() > MAX_CACHED)
                cache.entrySet().removeIf(en -> en.getValue().expiresAtNanos() - now <= 0);
              cache.put(key, new Cached<>(value, now + ttl.toNanos()));
            });
  }

  private static ApiException unavailable() {
    return new ApiException(
            ProblemType.SERVICE_UNAVAILABLE,
            "The preview cannot be checked right now (a service does not answer); try again shortly.")
        .retryAfter(Duration.ofSeconds(2));
  }
}
