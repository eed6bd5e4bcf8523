package dev.constellation.gateway.health;

import dev.constellation.gateway.routing.ServicesProperties;
import io.netty.channel.ChannelOption;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * GET /api/health: every service's readiness, asked in parallel with short timeouts so that one
 * hung service cannot make the answer hang.
 */
@RestController
class HealthController {
  private static final Duration PER_CHECK = Duration.ofMillis(1500);

  record HealthResponse(
      @Schema(allowableValues = {"UP", "DEGRADED", "DOWN"}) String status,
      Map<String, String> services) {}

  private final WebClient http;
  private final List<Map.Entry<String, String>> services;
  private final ReactiveStringRedisTemplate redis;
  private final ReactiveMongoTemplate mongo;

  HealthController(
      ServicesProperties properties,
      ReactiveStringRedisTemplate redis,
      ReactiveMongoTemplate mongo) {
    this.redis = redis;
    this.mongo = mongo;
    this.http =
        WebClient.builder()
            .clientConnector(
                new ReactorClientHttpConnector(
                    HttpClient.create()
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
                        .responseTimeout(PER_CHECK)))
            .build();
    this.services =
        List.of(
            Map.entry("project-service", properties.projectUrl()),
            Map.entry("workspace-service", properties.workspaceUrl()),
            Map.entry("claude-service", properties.claudeUrl()));
  }

  @GetMapping("/api/health")
  Mono<ResponseEntity<HealthResponse>> health() {
    Mono<Map.Entry<String, Boolean>> self = gatewayUp().map(up -> Map.entry("api-gateway", up));
    Flux<Map.Entry<String, Boolean>> others =
        Flux.fromIterable(services)
            .flatMap(
                service -> ready(service.getValue()).map(up -> Map.entry(service.getKey(), up)));
    return Flux.merge(self, others)
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .map(
            results -> {
              Map<String, String> statuses = new LinkedHashMap<>();
              statuses.put("api-gateway", status(results.get("api-gateway")));
              services.forEach(s -> statuses.put(s.getKey(), status(results.get(s.getKey()))));
              long down = statuses.values().stream().filter("DOWN"::equals).count();
              String overall =
                  "DOWN".equals(statuses.get("api-gateway")) || down == statuses.size()
                      ? "DOWN"
                      : down > 0 ? "DEGRADED" : "UP";
              return ResponseEntity.status(
                      overall.equals("DOWN") ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
                  .body(new HealthResponse(overall, statuses));
            });
  }

  private Mono<Boolean> ready(String baseUrl) {
    return http.get()
        .uri(baseUrl + "/actuator/health/readiness")
        .exchangeToMono(
            response -> response.releaseBody().thenReturn(response.statusCode().is2xxSuccessful()))
        .timeout(PER_CHECK)
        .onErrorReturn(false);
  }

  /** The gateway can sign people in only with both its stores. */
  private Mono<Boolean> gatewayUp() {
    Mono<Boolean> redisUp =
        redis.execute(connection -> connection.ping()).next().map("PONG"::equalsIgnoreCase);
    Mono<Boolean> mongoUp = mongo.executeCommand(new Document("ping", 1)).thenReturn(true);
    return Mono.zip(redisUp, mongoUp, Boolean::logicalAnd).timeout(PER_CHECK).onErrorReturn(false);
  }

  private static String status(Boolean up) {
    return Boolean.TRUE.equals(up) ? "UP" : "DOWN";
  }
}
