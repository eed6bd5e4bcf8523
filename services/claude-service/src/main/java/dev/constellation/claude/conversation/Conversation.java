package dev.constellation.claude.conversation;

import java.time.Instant;
import java.util.List;
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
    String summarizedThrough,
    Permissions permissions,
    UsageTotals usage,
    long contextTokens) {

  /**
   * What the agent may do in this conversation without asking: edits, and commands matching one of
   * the globs.
   */
  public record Permissions(boolean edits, List<String> commandPatterns) {
    public static final Permissions NONE = new Permissions(false, List.of());

    public Permissions {
      commandPatterns = commandPatterns == null ? List.of() : List.copyOf(commandPatterns);
    }
  }

  /** Tokens and dollars of every model call made in the conversation. */
  public record UsageTotals(
      long inputTokens,
      long outputTokens,
      long cacheReadInputTokens,
      long cacheCreationInputTokens,
      double costUsd) {}

  public Permissions permissionsOrNone() {
    return permissions == null ? Permissions.NONE : permissions;
  }
}
