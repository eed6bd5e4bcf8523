package dev.constellation.claude.chat;

import dev.constellation.claude.agent.AgentRequest;
import dev.constellation.claude.agent.AgentService;
import dev.constellation.claude.config.AccessGuard;
import dev.constellation.claude.config.ClaudeProperties;
import dev.constellation.claude.config.InvalidFieldException;
import dev.constellation.claude.context.ProjectContext;
import dev.constellation.claude.conversation.Conversation;
import dev.constellation.claude.conversation.ConversationService;
import dev.constellation.claude.upstream.ClaudeClient;
import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.Caller;
import dev.constellation.common.servlet.CurrentUser;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Sends a message and streams the answer. Everything that can be refused (access, validation, a
 * missing key, a spent budget, bad attachments) is refused here as a plain JSON problem, before the
 * event stream starts; later failures arrive as an {@code error} event.
 */
@RestController
class ChatController {
  private final ConversationService conversations;
  private final AccessGuard access;
  private final ClaudeClient claude;
  private final ProjectContext context;
  private final ChatStreamer streamer;
  private final ClaudeProperties.Limits limits;
  private final AgentService agents;

  ChatController(
      AgentService agents,
      ConversationService conversations,
      AccessGuard access,
      ClaudeClient claude,
      ProjectContext context,
      ChatStreamer streamer,
      ClaudeProperties properties) {
    this.conversations = conversations;
    this.access = access;
    this.claude = claude;
    this.context = context;
    this.streamer = streamer;
    this.limits = properties.limits();
    this.agents = agents;
  }

  @PostMapping("/api/conversations/{conversationId}/messages")
  SseEmitter send(
      @PathVariable String conversationId,
      @RequestBody SendMessageRequest body,
      @CurrentUser Caller caller,
      HttpServletResponse response) {
    AuthenticatedUser user = caller.user();
    Conversation conversation = conversations.require(conversationId);
    access.require(user, conversation.projectId(), ProjectAction.WRITE);
    validate(body);
    boolean agentMode = "agent".equals(body.mode());
    claude.requireConfigured();
    String authorization = caller.authorization();
    List<String> files = body.context() == null ? null : body.context().files();
    ProjectContext.Selection selection = selection(body);
    String attachments =
        context.attachments(conversation.projectId(), authorization, files, selection);
    response.setHeader("Cache-Control", "no-cache, no-transform");
    // Tells nginx-style proxies in front of the gateway not to buffer the stream.
    response.setHeader("X-Accel-Buffering", "no");
    // The tokens are reserved (or the request refused with 429) in start, before the stream opens.
    if (agentMode) {
      return agents.start(
          new AgentRequest(conversation, user, body.content(), attachments, authorization));
    }
    return streamer.start(
        new ChatStreamer.Turn(conversation, user, body.content(), attachments, authorization));
  }

  private void validate(SendMessageRequest body) {
    if (body == null || body.content() == null || body.content().isBlank()) {
      throw new InvalidFieldException("content", "content is required: the message to send.");
    }
    if (body.mode() != null && !body.mode().equals("ask") && !body.mode().equals("agent")) {
      throw new InvalidFieldException("mode", "mode is \"ask\" or \"agent\".");
    }
    if (body.content().length() > limits.maxMessageChars()) {
      throw new InvalidFieldException(
          "content",
          "content is "
              + body.content().length()
              + " characters long; at most "
              + limits.maxMessageChars()
              + " are allowed. Attach files through context.files instead of pasting them.");
    }
  }

  private static ProjectContext.Selection selection(SendMessageRequest body) {
    if (body.context() == null || body.context().selection() == null) return null;
    var s = body.context().selection();
    if (s.startLine() == null || s.endLine() == null) {
      throw new InvalidFieldException(
          "context.selection", "context.selection needs path, startLine and endLine.");
    }
    return new ProjectContext.Selection(s.path(), s.startLine(), s.endLine());
  }
}
