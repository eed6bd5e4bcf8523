package dev.constellation.claude.usage;

import dev.constellation.claude.upstream.TokenUsage;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Tokens spent by one user in one project with one model on one UTC day; one document per such
 * combination, incremented in place.
 *
 * @param totalTokens every token processed, cached or not: what the daily budgets are charged
 * @param costUsd US dollars the calls cost ({@link Pricing}), summed as they were made; null on
 *     records written before costs were kept (see {@link #cost()})
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
    long totalTokens,
    @Nullable Double costUsd) {

  /**
   * The dollars spent; a record from before costs were kept is priced now from its tokens, exact as
   * long as the model's prices have not changed since.
   */
  double cost() {
    return costUsd != null
        ? costUsd
        : Pricing.costUsd(
            model,
            new TokenUsage(
                inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens));
  }
}
