package dev.constellation.claude.config;

import org.bson.Document;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Replaces Boot's MongoDB health check, which sends {@code hello}: the embedded MongoDB-wire
 * server of local mode does not know that command and would make readiness DOWN. {@code ping}
 * works on both it and a real MongoDB.
 */
@Component("mongoHealthIndicator")
class MongoPingHealthIndicator implements HealthIndicator {
  private final MongoTemplate mongo;

  MongoPingHealthIndicator(MongoTemplate mongo) {
    this.mongo = mongo;
  }

  @Override
  public Health health() {
    try {
      mongo.executeCommand(new Document("ping", 1));
      return Health.up().withDetail("database", mongo.getDb().getName()).build();
    } catch (RuntimeException e) {
      return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
    }
  }
}
