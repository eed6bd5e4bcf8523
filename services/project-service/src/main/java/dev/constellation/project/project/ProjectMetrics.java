package dev.constellation.project.project;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * {@code constellation.projects}: how many projects exist. Counted in MongoDB at most every {@link
 * #RECOUNT_AFTER}, so that frequent scrapes by several Prometheus servers cost nothing.
 */
@Component
class ProjectMetrics {
  private static final Logger log = LoggerFactory.getLogger(ProjectMetrics.class);
  static final Duration RECOUNT_AFTER = Duration.ofSeconds(10);

  private final MongoTemplate mongo;
  private final Clock clock;
  private volatile double count = Double.NaN;
  private volatile long countedAt;

  ProjectMetrics(MongoTemplate mongo, Clock clock, MeterRegistry meters) {
    this.mongo = mongo;
    this.clock = clock;
    Gauge.builder("constellation.projects", this, ProjectMetrics::count)
        .description("Projects that exist")
        .register(meters);
  }

  private double count() {
    long now = clock.millis();
    if (now - countedAt >= RECOUNT_AFTER.toMillis()) {
      countedAt = now;
      try {
        count = mongo.count(new Query(), Project.class);
      } catch (RuntimeException e) {
        // NaN is Prometheus' "unknown"; a stale number would hide that the database is gone.
        count = Double.NaN;
        log.warn("could not count projects: {}", e.toString());
      }
    }
    return count;
  }
}
