package dev.constellation.project.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How this service reads the shared audit stream.
 *
 * @param consumerGroup Redis consumer group shared by all replicas, so each event is stored once
 * @param consumerName this replica's name in the group; stable across restarts so its
 *     unacknowledged events are picked up again
 */
@ConfigurationProperties(prefix = "constellation.audit")
record AuditProperties(String consumerGroup, String consumerName) {}
