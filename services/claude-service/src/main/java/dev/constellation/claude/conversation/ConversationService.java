package dev.constellation.claude.conversation;

import dev.constellation.claude.upstream.TokenUsage;
import dev.constellation.claude.usage.Pricing;
import dev.constellation.common.problem.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.types.ObjectId;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
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

  private final MongoTemplate mongo;

  ConversationService(
      ConversationRepository conversations,
      MessageRepository messages,
      Clock clock,
      MongoTemplate mongo) {
    this.mongo = mongo;
    this.conversations = conversations;
    this.messages = messages;
    this.clock = clock;
  }

  Conversation create(String projectId, String title, String userId) {
    var now = clock.instant();
    String clean = title == null || title.isBlank() ? DEFAULT_TITLE : title.strip();
    return conversations.save(
        new Conversation(
            new ObjectId().toHexString(),
            projectId,
            clean,
            userId,
            now,
            now,
            null,
            null,
            null,
            null,
            0));
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
                false,
                null));
    String title = conversation.title();
    if (DEFAULT_TITLE.equals(title)) {
      String line = content.strip().lines().findFirst().orElse("").strip();
      title =
          line.isEmpty() ? DEFAULT_TITLE : line.length() > 60 ? line.substring(0, 60) + "…" : line;
    }
    // Only these two fields: a whole-document save from this (possibly stale) copy would undo
    // what ran beside it (a summary, usage totals, permissions).
    mongo.updateFirst(
        Query.query(Criteria.where("_id").is(conversation.id())),
        new Update().set("title", title).set("updatedAt", clock.instant()),
        Conversation.class);
    return message;
  }

  public ChatMessage addAssistantMessage(
      Conversation conversation,
      String content,
      String model,
      TokenUsage usage,
      boolean interrupted) {
    return addAssistantMessage(
        conversation,
        content,
        model,
        usage,
        Pricing.costUsd(model, orNone(usage)),
        interrupted,
        null);
  }

  private static TokenUsage orNone(TokenUsage usage) {
    return usage == null ? TokenUsage.NONE : usage;
  }

  /** An assistant message with the steps of an agent turn; {@code costUsd} of all its calls. */
  public ChatMessage addAssistantMessage(
      Conversation conversation,
      String content,
      String model,
      TokenUsage usage,
      double costUsd,
      boolean interrupted,
      List<ChatMessage.Step> steps) {
    var u =
        usage == null
            ? null
            : new ChatMessage.MessageUsage(
                usage.inputTokens(),
                usage.outputTokens(),
                usage.cacheReadInputTokens(),
                usage.cacheCreationInputTokens(),
                costUsd);
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
            interrupted,
            steps));
  }

  public void savePermissions(String conversationId, Conversation.Permissions permissions) {
    mongo.updateFirst(
        Query.query(Criteria.where("_id").is(conversationId)),
        new Update().set("permissions", permissions),
        Conversation.class);
  }

  /**
   * Adds one model call to the conversation's totals and records the context it used (the call's
   * input and cache tokens).
   */
  public void addUsage(String conversationId, TokenUsage usage, double costUsd) {
    mongo.updateFirst(
        Query.query(Criteria.where("_id").is(conversationId)),
        new Update()
            .inc("usage.inputTokens", usage.inputTokens())
            .inc("usage.outputTokens", usage.outputTokens())
            .inc("usage.cacheReadInputTokens", usage.cacheReadInputTokens())
            .inc("usage.cacheCreationInputTokens", usage.cacheCreationInputTokens())
            .inc("usage.costUsd", costUsd)
            .set(
                "contextTokens",
                usage.inputTokens()
                    + usage.cacheReadInputTokens()
                    + usage.cacheCreationInputTokens()),
        Conversation.class);
  }

  public void saveSummary(Conversation conversation, String summary, String throughMessageId) {
    mongo.updateFirst(
        Query.query(Criteria.where("_id").is(conversation.id())),
        new Update()
            .set("summary", summary)
            .set("summarizedThrough", throughMessageId)
            .set("updatedAt", clock.instant()),
        Conversation.class);
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
