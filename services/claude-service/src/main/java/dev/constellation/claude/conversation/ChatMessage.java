package dev.constellation.claude.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    boolean interrupted,
    List<Step> steps) {

  /** Tokens of the answer, as the upstream reported them, and what they cost. */
  public record MessageUsage(
      long inputTokens,
      long outputTokens,
      long cacheReadInputTokens,
      long cacheCreationInputTokens,
      Double costUsd) {}

  /** One tool call of an agent turn and how it ended. */
  public record Step(
      String id,
      int step,
      String tool,
      Map<String, Object> input,
      String status,
      String output,
      String approvedBy,
      Integer exitCode,
      String checkpointId) {}
}
