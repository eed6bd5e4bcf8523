package dev.constellation.gateway.health;

import java.time.Duration;
import org.bson.Document;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * Boot's Mongo health check sends {@code hello}, which the embedded MongoDB-wire server of local
 * mode does not know, so readiness would stay DOWN forever. {@code ping} works on both it and a
 * real MongoDB. The bean name replaces Boot's indicator.
 */
@Configuration(proxyBeanMethods = false)
class MongoPingHealthConfiguration {

  @Bean(name = "mongoHealthContributor")
  ReactiveHealthIndicator mongoHealthContributor(ReactiveMongoTemplate mongo) {
    return () -> mongo.executeCommand(new Document("ping", 1))
        .timeout(Duration.ofSeconds(2))
        .map(reply -> Health.up().build())
        .onErrorResume(e -> reactor.core.publisher.Mono.just(Health.down().withDetail("error", e.getClass().getSimpleName()).build()));
  }
}
