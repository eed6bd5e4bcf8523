package dev.constellation.project.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How this service reads the shared audit stream.
 *
 * @param consumerGroup Redis consumer group shared by all replicas, so each event is stored once
 * @param consumerName this replica's name in the group; stable across restarts so its
 *     unacknowledged events are picked up again
 * @param reclaimMinIdle how long an event may sit delivered but unacknowledged with another
 *     consumer (one that died, or a replica whose host name changed) before this one takes it over
 *     ({@code AUDIT_RECLAIM_MIN_IDLE}); longer than storing one event ever takes
 * @param reclaimInterval how often the group's pending events are checked for such orphans ({@code
 *     AUDIT_RECLAIM_INTERVAL})
 */
@ConfigurationProperties(prefix = "constellation.audit")
record AuditProperties(
    String consumerGroup, String consumerName, Duration reclaimMinIdle, Duration reclaimInterval) {
  AuditProperties {
    if (reclaimMinIdle == null) reclaimMinIdle = Duration.ofMinutes(1);
    if (reclaimInterval == null) reclaimInterval = Duration.ofSeconds(30);
  }
}
