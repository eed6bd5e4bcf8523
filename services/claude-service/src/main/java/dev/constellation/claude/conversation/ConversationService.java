package dev.constellation.claude.conversation;

import dev.constellation.claude.upstream.TokenUsage;
import dev.constellation.common.problem.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.types.ObjectId;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;

/** Conversations and their messages; access is checked by the callers, who know the user. */
@Service
public class ConversationService {
  static final String DEFAULT_TITLE = "New conversation";

  private final ConversationRepository conversations;
  private final MessageRepository messages;
  private final Clock clock;
  // Time-based so it keeps increasing across restarts, bumped so two saves in one millisecond still
  // order.
  private final AtomicLong lastSeq = new AtomicLong();

  ConversationService(
      ConversationRepository conversations, MessageRepository messages, Clock clock) {
    this.conversations = conversations;
    this.messages = messages;
    this.clock = clock;
  }

  Conversation create(String projectId, String title, String userId) {
    var now = clock.instant();
    String clean = title == null || title.isBlank() ? DEFAULT_TITLE : title.strip();
    return conversations.save(
        new Conversation(
            new ObjectId().toHexString(), projectId, clean, userId, now, now, null, null));
  }

  Page<Conversation> list(String projectId, int page, int size) {
    return conversations.findByProjectId(
        projectId, PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "updatedAt")));
  }

  /**
   * The conversation, or a 404 that does not reveal whether it exists in a project the caller
   * cannot see.
   */
  public Conversation require(String conversationId) {
    return conversations
        .findById(conversationId)
        .orElseThrow(
            () -> ApiException.notFound("No conversation " + conversationId + " visible to you."));
  }

  public List<ChatMessage> messages(String conversationId) {
    return messages.findByConversationIdOrderBySeqAsc(conversationId);
  }

  public ChatMessage addUserMessage(Conversation conversation, String content, String userId) {
    ChatMessage message =
        messages.save(
            new ChatMessage(
                new ObjectId().toHexString(),
                conversation.id(),
                conversation.projectId(),
                nextSeq(),
                "user",
                content,
                userId,
                null,
                clock.instant(),
                null,
                false));
    String title = conversation.title();
    if (DEFAULT_TITLE.equals(title)) {
      String line = content.strip().lines().findFirst().orElse("").strip();
      title =
          line.isEmpty() ? DEFAULT_TITLE : line.length() > 60 ? line.substring(0, 60) + "…" : line;
    }
    conversations.save(conversation.touched(title, clock.instant()));
    return message;
  }

  public ChatMessage addAssistantMessage(
      Conversation conversation,
      String content,
      String model,
      TokenUsage usage,
      boolean interrupted) {
    var u =
        usage == null
            ? null
            : new ChatMessage.MessageUsage(
                usage.inputTokens(),
                usage.outputTokens(),
                usage.cacheReadInputTokens(),
                usage.cacheCreationInputTokens());
    return messages.save(
        new ChatMessage(
            new ObjectId().toHexString(),
            conversation.id(),
            conversation.projectId(),
            nextSeq(),
            "assistant",
            content,
            null,
            model,
            clock.instant(),
            u,
            interrupted));
  }

  public void saveSummary(Conversation conversation, String summary, String throughMessageId) {
    Conversation current = require(conversation.id());
    conversations.save(current.withSummary(summary, throughMessageId, clock.instant()));
  }

  void delete(Conversation conversation) {
    messages.deleteByConversationId(conversation.id());
    conversations.deleteById(conversation.id());
  }

  long deleteProject(String projectId) {
    messages.deleteByProjectId(projectId);
    return conversations.deleteByProjectId(projectId);
  }

  private long nextSeq() {
    long now = clock.millis() * 1000;
    return lastSeq.updateAndGet(previous -> Math.max(previous + 1, now));
  }
}
