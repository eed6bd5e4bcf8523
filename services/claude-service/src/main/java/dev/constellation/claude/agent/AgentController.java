package dev.constellation.claude.agent;

import dev.constellation.claude.config.AccessGuard;
import dev.constellation.claude.config.InvalidFieldException;
import dev.constellation.claude.conversation.Conversation;
import dev.constellation.claude.conversation.ConversationService;
import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's say over a running agent turn: decisions on the steps waiting for approval, Stop, and
 * the conversation's standing permissions. Enforced here, whatever the model asked for.
 */
@RestController
class AgentController {
  private static final int MAX_PATTERNS = 50;

  record DecisionRequest(String decision, @Nullable String allow, @Nullable String pattern) {}

  record DecisionResponse(String stepId, String status) {}

  record StopResponse(boolean stopped) {}

  record PermissionsBody(boolean edits, @Nullable List<String> commandPatterns) {}

  private final ConversationService conversations;
  private final AccessGuard access;
  private final AgentSignals signals;

  AgentController(ConversationService conversations, AccessGuard access, AgentSignals signals) {
    this.conversations = conversations;
    this.access = access;
    this.signals = signals;
  }

  @PostMapping("/api/conversations/{conversationId}/steps/{stepId}/decision")
  DecisionResponse decide(
      @PathVariable String conversationId,
      @PathVariable String stepId,
      @RequestBody(required = false) DecisionRequest body,
      @CurrentUser AuthenticatedUser user) {
    Conversation conversation = conversations.require(conversationId);
    access.require(user, conversation.projectId(), ProjectAction.WRITE);
    if (body == null || !("approve".equals(body.decision()) || "deny".equals(body.decision()))) {
      throw new InvalidFieldException("decision", "decision is \"approve\" or \"deny\".");
    }
    String allow = body.allow();
    if (allow != null && !allow.equals("edits") && !allow.equals("command")) {
      throw new InvalidFieldException("allow", "allow is \"edits\" or \"command\" when given.");
    }
    boolean approve = "approve".equals(body.decision());
    String pattern = null;
    if (approve && "command".equals(allow)) {
      pattern = body.pattern() == null ? null : body.pattern().strip();
      String problem = CommandPatterns.problem(pattern);
      if (problem != null) throw new InvalidFieldException("pattern", problem);
    }
    String allowed = approve ? allow : null;
    String glob = pattern;
    // Stored once the step is taken (so a refused decision changes nothing) and before the loop
    // hears the decision and looks at the permissions for its next step.
    signals.decide(
        conversationId,
        stepId,
        user.id(),
        new AgentSignals.Decision(body.decision(), allowed, glob),
        () -> allowFromNowOn(conversationId, allowed, glob));
    return new DecisionResponse(stepId, approve ? "approved" : "denied");
  }

  private void allowFromNowOn(String conversationId, String allow, String pattern) {
    if (allow == null) return;
    Conversation.Permissions now = conversations.require(conversationId).permissionsOrNone();
    if ("edits".equals(allow)) {
      conversations.savePermissions(
          conversationId, new Conversation.Permissions(true, now.commandPatterns()));
    } else {
      List<String> patterns = new ArrayList<>(new LinkedHashSet<>(now.commandPatterns()));
      if (!patterns.contains(pattern) && patterns.size() < MAX_PATTERNS) patterns.add(pattern);
      conversations.savePermissions(
          conversationId, new Conversation.Permissions(now.edits(), patterns));
    }
  }

  @PostMapping("/api/conversations/{conversationId}/stop")
  @ResponseStatus(HttpStatus.ACCEPTED)
  StopResponse stop(@PathVariable String conversationId, @CurrentUser AuthenticatedUser user) {
    Conversation conversation = conversations.require(conversationId);
    access.require(user, conversation.projectId(), ProjectAction.WRITE);
    return new StopResponse(signals.stop(conversationId, user.id()));
  }

  @GetMapping("/api/conversations/{conversationId}/permissions")
  PermissionsBody permissions(
      @PathVariable String conversationId, @CurrentUser AuthenticatedUser user) {
    Conversation conversation = conversations.require(conversationId);
    access.require(user, conversation.projectId(), ProjectAction.READ);
    var p = conversation.permissionsOrNone();
    return new PermissionsBody(p.edits(), p.commandPatterns());
  }

  @PutMapping("/api/conversations/{conversationId}/permissions")
  PermissionsBody setPermissions(
      @PathVariable String conversationId,
      @RequestBody(required = false) PermissionsBody body,
      @CurrentUser AuthenticatedUser user) {
    Conversation conversation = conversations.require(conversationId);
    access.require(user, conversation.projectId(), ProjectAction.WRITE);
    if (body == null)
      throw new InvalidFieldException("edits", "edits and commandPatterns are required.");
    List<String> patterns = body.commandPatterns() == null ? List.of() : body.commandPatterns();
    if (patterns.size() > MAX_PATTERNS) {
      throw new InvalidFieldException(
          "commandPatterns", "At most " + MAX_PATTERNS + " command patterns can be kept.");
    }
    for (int i = 0; i < patterns.size(); i++) {
      String problem = CommandPatterns.problem(patterns.get(i));
      if (problem != null) throw new InvalidFieldException("commandPatterns[" + i + "]", problem);
    }
    var stored =
        new Conversation.Permissions(
            body.edits(), patterns.stream().map(String::strip).distinct().toList());
    conversations.savePermissions(conversationId, stored);
    return new PermissionsBody(stored.edits(), stored.commandPatterns());
  }
}
