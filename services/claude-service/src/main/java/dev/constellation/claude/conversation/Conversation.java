package dev.constellation.claude.conversation;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A chat thread in a project. Older turns, once over the history budget, live on as {@code
 * summary}.
 *
 * @param summarizedThrough id of the newest message folded into {@code summary}, or null
 */
@Document("conversations")
public record Conversation(
    @Id String id,
    @Indexed String projectId,
    String title,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    String summary,
    String summarizedThrough) {

  public Conversation withSummary(String summary, String throughMessageId, Instant now) {
    return new Conversation(
        id, projectId, title, createdBy, createdAt, now, summary, throughMessageId);
  }

  Conversation touched(String newTitle, Instant now) {
    return new Conversation(
        id, projectId, newTitle, createdBy, createdAt, now, summary, summarizedThrough);
  }
}
