package dev.constellation.claude.usage;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Tokens spent by one user in one project with one model on one UTC day; one document per such
 * combination, incremented in place.
 *
 * @param totalTokens every token processed, cached or not: what the daily budget is charged
 */
@Document("usage")
record UsageRecord(
    @Id String id,
    @Indexed String day,
    @Indexed String userId,
    String projectId,
    String model,
    long requests,
    long inputTokens,
    long outputTokens,
    long cacheReadInputTokens,
    long cacheCreationInputTokens,
    long totalTokens) {}
