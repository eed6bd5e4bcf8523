package dev.constellation.claude.conversation;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One stored turn. Messages live in their own collection so a long conversation never meets
 * MongoDB's document size limit.
 *
 * @param seq order within the conversation (timestamps can tie)
 * @param interrupted the answer stopped early (client gone or upstream error); content is what
 *     arrived
 */
@Document("messages")
public record ChatMessage(
    @Id String id,
    @Indexed String conversationId,
    @Indexed String projectId,
    long seq,
    String role,
    String content,
    String userId,
    String model,
    Instant createdAt,
    MessageUsage usage,
    boolean interrupted) {

  /** Tokens of the answer, as the upstream reported them. */
  public record MessageUsage(
      long inputTokens,
      long outputTokens,
      long cacheReadInputTokens,
      long cacheCreationInputTokens) {}
}
