package dev.constellation.claude.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.constellation.claude.config.AccessGuard;
import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ConversationController {

  record CreateConversationRequest(@Size(max = 200) @Nullable String title) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ConversationResponse(
      String id,
      String projectId,
      @Nullable String title,
      String createdBy,
      Instant createdAt,
      Instant updatedAt,
      @Nullable List<MessageResponse> messages,
      Conversation.@Nullable UsageTotals usage,
      long contextTokens,
      Conversation.Permissions permissions) {
    static ConversationResponse of(Conversation c, List<MessageResponse> messages) {
      return new ConversationResponse(
          c.id(),
          c.projectId(),
          c.title(),
          c.createdBy(),
          c.createdAt(),
          c.updatedAt(),
          messages,
          c.usage(),
          c.contextTokens(),
          c.permissionsOrNone());
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record MessageResponse(
      String id,
      @Schema(allowableValues = {"user", "assistant"}) String role,
      String content,
      Instant createdAt,
      @Nullable UsageResponse usage,
      @Nullable Boolean interrupted,
      @Nullable List<ChatMessage.Step> steps) {
    static MessageResponse of(ChatMessage m) {
      var u = m.usage();
      return new MessageResponse(
          m.id(),
          m.role(),
          m.content(),
          m.createdAt(),
          u == null
              ? null
              : new UsageResponse(
                  u.inputTokens(),
                  u.outputTokens(),
                  u.cacheReadInputTokens(),
                  u.cacheCreationInputTokens(),
                  u.costUsd()),
          m.interrupted() ? Boolean.TRUE : null,
          m.steps() == null || m.steps().isEmpty() ? null : m.steps());
    }
  }

  record UsageResponse(
      long inputTokens,
      long outputTokens,
      long cacheReadInputTokens,
      long cacheCreationInputTokens,
      @Nullable Double costUsd) {}

  record PageResponse<T>(List<T> items, int page, int size, long total) {}

  private final ConversationService conversations;
  private final AccessGuard access;

  ConversationController(ConversationService conversations, AccessGuard access) {
    this.conversations = conversations;
    this.access = access;
  }

  @PostMapping("/api/projects/{projectId}/conversations")
  @ResponseStatus(HttpStatus.CREATED)
  ConversationResponse create(
      @PathVariable String projectId,
      @Valid @RequestBody(required = false) CreateConversationRequest body,
      @CurrentUser AuthenticatedUser user) {
    access.require(user, projectId, ProjectAction.WRITE);
    Conversation created =
        conversations.create(projectId, body == null ? null : body.title(), user.id());
    return ConversationResponse.of(created, List.of());
  }

  @GetMapping("/api/projects/{projectId}/conversations")
  PageResponse<ConversationResponse> list(
      @PathVariable String projectId,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size,
      @CurrentUser AuthenticatedUser user) {
    access.require(user, projectId, ProjectAction.READ);
    int p = Math.max(0, page);
    int s = Math.min(Math.max(1, size), 100);
    var result = conversations.list(projectId, p, s);
    return new PageResponse<>(
        result.getContent().stream().map(c -> ConversationResponse.of(c, null)).toList(),
        p,
        s,
        result.getTotalElements());
  }

  @GetMapping("/api/conversations/{conversationId}")
  ConversationResponse get(
      @PathVariable String conversationId, @CurrentUser AuthenticatedUser user) {
    Conversation conversation = conversations.require(conversationId);
    access.require(user, conversation.projectId(), ProjectAction.READ);
    return ConversationResponse.of(
        conversation,
        conversations.messages(conversationId).stream().map(MessageResponse::of).toList());
  }

  @DeleteMapping("/api/conversations/{conversationId}")
  ResponseEntity<Void> delete(
      @PathVariable String conversationId, @CurrentUser AuthenticatedUser user) {
    Conversation conversation = conversations.require(conversationId);
    access.require(user, conversation.projectId(), ProjectAction.WRITE);
    conversations.delete(conversation);
    return ResponseEntity.noContent().build();
  }
}
