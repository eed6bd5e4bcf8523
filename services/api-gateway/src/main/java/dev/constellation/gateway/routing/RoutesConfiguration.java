package dev.constellation.gateway.routing;

import static org.springframework.cloud.gateway.support.RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4jBulkheadProvider;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4jBulkheadConfigurationBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.GatewayFilterSpec;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.route.builder.UriSpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The public /api surface of each service. Anything not listed here — /internal/**, the services'
 * actuators, unknown paths — is never forwarded and answers 404.
 */
@Configuration(proxyBeanMethods = false)
class RoutesConfiguration {
  static final String PROJECT = "project-service";
  static final String WORKSPACE = "workspace-service";
  static final String CLAUDE = "claude-service";

  /**
   * Breakers (and bulkheads) of long-lived calls end with this; see {@link
   * ServicesProperties.Capacity}.
   */
  static final String STREAMS = "-streams";

  /** Above workspace-service's own 20 s bound of a search. */
  static final Duration SEARCH_RESPONSE_TIMEOUT = Duration.ofSeconds(40);

  @Bean
  RouteLocator routes(RouteLocatorBuilder builder, ServicesProperties services) {
    long ordinary = services.responseTimeout().toMillis();
    return builder
        .routes()
        // Streams stay open as long as the answer is being written: no response timeout.
        .route(
            CLAUDE + "-stream",
            r ->
                r.method(HttpMethod.POST)
                    .and()
                    .path("/api/conversations/{cid}/messages")
                    .filters(f -> breaker(f, CLAUDE + STREAMS))
                    .metadata(RESPONSE_TIMEOUT_ATTR, -1)
                    .uri(services.claudeUrl()))
        // workspace-service compares the browser's Origin with the Host it was asked for, so the
        // terminal and language-server sockets keep the Host the browser used.
        .route(
            WORKSPACE + "-terminal",
            r ->
                r.path(
                        "/api/projects/{id}/terminal",
                        "/api/projects/{id}/terminal/**",
                        "/api/projects/{id}/lsp/**")
                    .filters(f -> breaker(f.preserveHostHeader(), WORKSPACE + STREAMS))
                    .metadata(RESPONSE_TIMEOUT_ATTR, -1)
                    .uri(services.workspaceUrl()))
        // The IDE's live workspace events (server-sent): open as long as the IDE is.
        .route(
            WORKSPACE + "-events",
            r ->
                r.method(HttpMethod.GET)
                    .and()
                    .path("/api/projects/{id}/workspace/events")
                    .filters(f -> breaker(f, WORKSPACE + STREAMS))
                    .metadata(RESPONSE_TIMEOUT_ATTR, -1)
                    .uri(services.workspaceUrl()))
        .route(
            WORKSPACE + "-exec",
            r ->
                r.path("/api/projects/{id}/exec", "/api/projects/{id}/exec/stream")
                    .filters(f -> breaker(f, WORKSPACE + STREAMS))
                    .metadata(RESPONSE_TIMEOUT_ATTR, services.execResponseTimeout().toMillis())
                    .uri(services.workspaceUrl()))
        // Find in files streams NDJSON as files are searched (Netty passes each chunk on as it
        // comes); the service ends a search at 20 s, so the bound here only catches a stuck one.
        .route(
            WORKSPACE + "-search",
            r ->
                r.path("/api/projects/{id}/search", "/api/projects/{id}/search/**")
                    .filters(f -> breaker(f, WORKSPACE + STREAMS))
                    .metadata(RESPONSE_TIMEOUT_ATTR, SEARCH_RESPONSE_TIMEOUT.toMillis())
                    .uri(services.workspaceUrl()))
        // Source control: clone, pull and push talk to remote hosts (bounded at 5 minutes in
        // workspace-service), so they get exec's longer timeout rather than the ordinary one.
        .route(
            WORKSPACE + "-git",
            r ->
                r.path("/api/projects/{id}/git/**", "/api/git/**")
                    .filters(f -> breaker(f, WORKSPACE + STREAMS))
                    .metadata(RESPONSE_TIMEOUT_ATTR, services.execResponseTimeout().toMillis())
                    .uri(services.workspaceUrl()))
        // Checkpoints read or rewrite a whole project (a snapshot, a restore): exec's longer
        // timeout rather than the ordinary one.
        .route(
            WORKSPACE + "-checkpoints",
            r ->
                r.path("/api/projects/{id}/checkpoints", "/api/projects/{id}/checkpoints/**")
                    .filters(f -> breaker(f, WORKSPACE + STREAMS))
                    .metadata(RESPONSE_TIMEOUT_ATTR, services.execResponseTimeout().toMillis())
                    .uri(services.workspaceUrl()))
        // The ports list only; preview sessions and share links are the gateway's own
        // (preview.PreviewController), and previews themselves never pass these routes.
        .route(
            WORKSPACE + "-ports",
            r ->
                r.method(HttpMethod.GET)
                    .and()
                    .path("/api/projects/{id}/ports")
                    .filters(f -> breaker(f, WORKSPACE))
                    .metadata(RESPONSE_TIMEOUT_ATTR, ordinary)
                    .uri(services.workspaceUrl()))
        .route(
            WORKSPACE,
            r ->
                r.path(
                        "/api/projects/{id}/workspace", "/api/projects/{id}/workspace/**",
                        "/api/projects/{id}/files", "/api/projects/{id}/files/**",
                        "/api/projects/{id}/terminals", "/api/projects/{id}/terminals/**")
                    .filters(f -> breaker(f, WORKSPACE))
                    .metadata(RESPONSE_TIMEOUT_ATTR, ordinary)
                    .uri(services.workspaceUrl()))
        .route(
            CLAUDE,
            r ->
                r.path(
                        "/api/projects/{id}/conversations",
                        "/api/projects/{id}/conversations/**",
                        "/api/conversations/**",
                        "/api/projects/{id}/ai/**",
                        "/api/admin/usage/**")
                    .filters(f -> breaker(f, CLAUDE))
                    .metadata(RESPONSE_TIMEOUT_ATTR, ordinary)
                    .uri(services.claudeUrl()))
        .route(
            PROJECT,
            r ->
                r.path(
                        "/api/templates/**",
                        "/api/projects",
                        "/api/projects/import",
                        "/api/projects/{id}",
                        "/api/projects/{id}/members/**",
                        "/api/projects/{id}/export",
                        "/api/projects/{id}/access",
                        "/api/admin/audit/**")
                    .filters(f -> breaker(f, PROJECT))
                    .metadata(RESPONSE_TIMEOUT_ATTR, ordinary)
                    .uri(services.projectUrl()))
        .build();
  }

  private static UriSpec breaker(GatewayFilterSpec filters, String service) {
    return filters.circuitBreaker(c -> c.setName(service));
  }

  /**
   * A refused connection fails in milliseconds, so the breaker mostly spares a dying service the
   * load; it reopens quickly so recovery shows within seconds. Time limits come from the per-route
   * response timeout instead of the breaker, which would otherwise cut streams after one second.
   */
  @Bean
  Customizer<ReactiveResilience4JCircuitBreakerFactory> breakerDefaults(
      ServicesProperties services) {
    return factory ->
        factory.configureDefault(
            id ->
                new Resilience4JConfigBuilder(id)
                    .circuitBreakerConfig(
                        CircuitBreakerConfig.custom()
                            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                            .slidingWindowSize(20)
                            .minimumNumberOfCalls(10)
                            .failureRateThreshold(50)
                            .waitDurationInOpenState(services.breakerOpenFor())
                            .permittedNumberOfCallsInHalfOpenState(2)
                            .automaticTransitionFromOpenToHalfOpenEnabled(true)
                            // A full bulkhead says the gateway is busy, not that the service is
                            // failing.
                            .ignoreExceptions(BulkheadFullException.class)
                            .build())
                    .timeLimiterConfig(
                        TimeLimiterConfig.custom().timeoutDuration(Duration.ofDays(1)).build())
                    .build());
  }

  /** Explicit bulkheads: no library default decides how many calls a service gets. */
  @Bean
  Customizer<ReactiveResilience4jBulkheadProvider> bulkheadLimits(ServicesProperties services) {
    ServicesProperties.Capacity capacity = services.capacity();
    return provider ->
        provider.configureDefault(
            id ->
                new Resilience4jBulkheadConfigurationBuilder()
                    .bulkheadConfig(
                        BulkheadConfig.custom()
                            .maxConcurrentCalls(
                                id.endsWith(STREAMS)
                                    ? capacity.maxConcurrentStreams()
                                    : capacity.maxConcurrentCalls())
                            // Waiting for a permit would block a Netty event loop: refuse at once
                            // instead.
                            .maxWaitDuration(Duration.ZERO)
                            .build())
                    .build());
  }
}
