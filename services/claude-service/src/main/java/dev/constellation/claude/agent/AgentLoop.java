package dev.constellation.claude.agent;

import dev.constellation.claude.chat.ProblemEvents;
import dev.constellation.claude.context.HistoryWindow;
import dev.constellation.claude.context.PromptTexts;
import dev.constellation.claude.context.TokenEstimate;
import dev.constellation.claude.context.WorkspaceClient;
import dev.constellation.claude.conversation.ChatMessage;
import dev.constellation.claude.conversation.Conversation;
import dev.constellation.claude.upstream.Completion;
import dev.constellation.claude.upstream.Prompt;
import dev.constellation.claude.upstream.StreamControl;
import dev.constellation.claude.upstream.TokenUsage;
import dev.constellation.claude.usage.AiCall;
import dev.constellation.claude.usage.Pricing;
import dev.constellation.claude.usage.UsageService;
import dev.constellation.common.access.AccessChannels;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One agent turn from its first event to its recorded outcome: model call, tool calls (each gated
 * by the approval rules, never by the model), their results back to the model, until the model ends
 * its turn, a limit is hit, or the user stops it. The outcome (assistant message with its steps,
 * usage, the {@code done} event) is recorded in one place, {@link #finish}.
 */
final class AgentLoop {
  private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);
  private static final int UI_OUTPUT_BYTES = 8 * 1024;
  private static final JsonMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private final AgentService s;
  private final AgentRequest request;
  private final TurnControl control;
  private final SseEmitter emitter;
  private final List<ChatMessage> history;
  private final AgentEvents events;
  private final String projectId;
  private final String model;
  private final long started = System.nanoTime();
  private AiCall nextCall;

  private final List<Prompt.Turn> turns = new ArrayList<>();
  private final List<ChatMessage.Step> steps = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private final List<String> written = new ArrayList<>();
  private TokenUsage turnUsage = TokenUsage.NONE;
  private double turnCost;
  private boolean checkpointTaken;
  private String checkpointId;
  private String stopReason = "end_turn";

  AgentLoop(
      AgentService service,
      AgentRequest request,
      TurnControl control,
      SseEmitter emitter,
      List<ChatMessage> history,
      AiCall first) {
    this.s = service;
    this.request = request;
    this.control = control;
    this.emitter = emitter;
    this.history = history;
    this.nextCall = first;
    this.projectId = request.conversation().projectId();
    this.model = service.claude.model();
    this.events = new AgentEvents(emitter, service.json, control::stop);
  }

  void run() {
    var agent = s.properties.agent();
    events.send(
        "turn",
        ordered(
            "turnId",
            control.turnId,
            "mode",
            "agent",
            "model",
            model,
            "contextWindow",
            agent.contextWindow()));
    // Storing the user's message waits on MongoDB: it runs beside the first model call.
    CompletableFuture<ChatMessage> userMessage =
        CompletableFuture.supplyAsync(
            () ->
                s.conversations.addUserMessage(
                    request.conversation(), request.content(), request.user().id()));
    long every = s.properties.limits().heartbeatInterval().toMillis();
    ScheduledFuture<?> heartbeat =
        s.timers.scheduleAtFixedRate(events::heartbeat, every, every, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> wall =
        s.timers.schedule(this::wallTimeUp, agent.maxWall().toMillis(), TimeUnit.MILLISECONDS);
    ApiException failure = null;
    try {
      List<Prompt.SystemBlock> system = systemPrompt();
      initialTurns();
      loop(system);
    } catch (ApiException e) {
      failure = e;
    } catch (RuntimeException e) {
      log.error("agent turn in conversation {} failed", control.conversationId, e);
      failure =
          new ApiException(
              HttpStatus.INTERNAL_SERVER_ERROR,
              "internal",
              "Internal error",
              "Something went wrong on our side; the request id identifies it in the logs.");
    } finally {
      heartbeat.cancel(false);
      wall.cancel(false);
      if (nextCall != null) nextCall.close();
    }
    finish(userMessage, failure);
  }

  private volatile boolean wallTimeUp;

  private void wallTimeUp() {
    wallTimeUp = true;
    control.stop();
  }

  private List<Prompt.SystemBlock> systemPrompt() {
    String tree = s.context.fileTree(projectId, request.authorization());
    return List.of(
        new Prompt.SystemBlock(
            PromptTexts.AGENT + "\n\nFiles of the project (paths relative to its root):\n" + tree,
            true));
  }

  private void initialTurns() {
    List<HistoryWindow.Entry> keep = s.historyWindow(history);
    for (HistoryWindow.Entry e : keep) {
      if (turns.isEmpty() && !"user".equals(e.role())) continue;
      addText(e.role(), e.text());
    }
    String message =
        request.attachments().isEmpty()
            ? request.content()
            : "Attached from the project:\n" + request.attachments() + "\n" + request.content();
    addText("user", message);
  }

  /** Consecutive turns of one role are merged: the API wants them alternating. */
  private void addText(String role, String content) {
    if (!turns.isEmpty() && turns.get(turns.size() - 1).role().equals(role)) {
      Prompt.Turn last = turns.remove(turns.size() - 1);
      List<Prompt.Block> blocks = new ArrayList<>(last.blocks());
      blocks.add(new Prompt.Text(content));
      turns.add(new Prompt.Turn(role, blocks, false));
    } else {
      turns.add(new Prompt.Turn(role, content, false));
    }
  }

  private void loop(List<Prompt.SystemBlock> system) {
    var agent = s.properties.agent();
    for (int step = 0; ; step++) {
      if (control.stopped()) {
        stopReason = wallTimeUp ? "limit" : "stopped";
        if (wallTimeUp)
          limit("wall-time", "The turn ran for its limit of " + agent.maxWall() + ".");
        return;
      }
      if (step >= agent.maxSteps()) {
        limit("max-steps", "The turn made its limit of " + agent.maxSteps() + " model calls.");
        return;
      }
      Prompt prompt = prompt(system);
      AiCall admitted = nextCall;
      nextCall = null;
      if (admitted == null) {
        try {
          admitted =
              s.usage.begin(
                  request.user(),
                  projectId,
                  s.properties.anthropic().maxOutputTokens() + estimate(prompt));
        } catch (UsageService.RetryLaterException e) {
          limit("budget", e.getMessage() == null ? "The AI budget is spent." : detail(e));
          return;
        }
      }
      if (turnUsage.total() >= agent.maxTurnTokens()) {
        admitted.close();
        limit("max-tokens", "The turn used its limit of " + agent.maxTurnTokens() + " tokens.");
        return;
      }
      StreamControl stream = new StreamControl();
      control.model(stream);
      Completion answer;
      final int index = step;
      try (AiCall call = admitted) {
        try {
          answer =
              s.claude.stream(
                  prompt, t -> events.send("delta", ordered("text", t, "step", index)), stream);
        } catch (CancellationException e) {
          account(call, index, stream.usage(), "cancelled");
          stopReason = wallTimeUp ? "limit" : "stopped";
          if (wallTimeUp)
            limit("wall-time", "The turn ran for its limit of " + agent.maxWall() + ".");
          return;
        } catch (ApiException e) {
          account(call, index, stream.usage(), "error");
          throw e;
        }
        account(call, index, answer.usage(), "ok");
      }
      text.append(answer.text());
      turns.add(new Prompt.Turn("assistant", answer.blocks(), false));
      List<Prompt.ToolUse> uses = answer.toolUses();
      if (uses.isEmpty() || !"tool_use".equals(answer.stopReason())) {
        stopReason = "end_turn";
        return;
      }
      List<Prompt.Block> results = new ArrayList<>();
      for (Prompt.ToolUse use : uses) {
        results.add(runTool(index, use));
      }
      turns.add(new Prompt.Turn("user", results, false));
    }
  }

  private static String detail(ApiException e) {
    return e.getMessage();
  }

  /** Charges a model call, adds it to the turn and the conversation, and sends {@code usage}. */
  private void account(AiCall call, int step, TokenUsage u, String outcome) {
    TokenUsage used = u == null ? TokenUsage.NONE : u;
    s.usage.finish(call, model, "agent", used, outcome);
    double cost = Pricing.costUsd(model, used);
    turnUsage = turnUsage.plus(used);
    turnCost += cost;
    Conversation now;
    try {
      s.conversations.addUsage(control.conversationId, used, cost);
      now = s.conversations.require(control.conversationId);
    } catch (RuntimeException e) {
      log.warn("could not add usage to conversation {}: {}", control.conversationId, e.toString());
      now = null;
    }
    long context =
        used.inputTokens() + used.cacheReadInputTokens() + used.cacheCreationInputTokens();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("step", usageJson(used, cost));
    body.put("turn", usageJson(turnUsage, turnCost));
    Conversation.UsageTotals totals = now == null ? null : now.usage();
    body.put(
        "conversation",
        totals == null
            ? usageJson(turnUsage, turnCost)
            : usageJson(
                new TokenUsage(
                    totals.inputTokens(),
                    totals.outputTokens(),
                    totals.cacheReadInputTokens(),
                    totals.cacheCreationInputTokens()),
                totals.costUsd()));
    body.put(
        "context",
        ordered("usedTokens", context, "windowTokens", s.properties.agent().contextWindow()));
    body.put("cacheHitRate", Pricing.cacheHitRate(used));
    events.send("usage", body);
  }

  static Map<String, Object> usageJson(TokenUsage u, double cost) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inputTokens", u.inputTokens());
    m.put("outputTokens", u.outputTokens());
    m.put("cacheReadInputTokens", u.cacheReadInputTokens());
    m.put("cacheCreationInputTokens", u.cacheCreationInputTokens());
    m.put("costUsd", cost);
    return m;
  }

  private void limit(String reason, String detail) {
    stopReason = "limit";
    events.send("limit", ordered("reason", reason, "detail", detail));
  }

  /**
   * The prompt of the next call. Once the turn's tool results pass the budget, the older ones are
   * replaced by a note (the last two steps' stay whole): a long turn stays within the window.
   */
  private Prompt prompt(List<Prompt.SystemBlock> system) {
    int budget = s.properties.agent().elideAfterTokens();
    long total = 0;
    for (Prompt.Turn t : turns)
      for (Prompt.Block b : t.blocks())
        if (b instanceof Prompt.ToolResult r) total += TokenEstimate.of(r.content());
    if (total > budget) {
      int userTurnsWithResults = 0;
      for (int i = turns.size() - 1; i >= 0; i--) {
        Prompt.Turn t = turns.get(i);
        if (!t.blocks().stream().anyMatch(b -> b instanceof Prompt.ToolResult)) continue;
        if (++userTurnsWithResults <= 2) continue;
        List<Prompt.Block> blocks = new ArrayList<>();
        for (Prompt.Block b : t.blocks()) {
          if (b instanceof Prompt.ToolResult r && !r.content().startsWith("(elided")) {
            blocks.add(
                new Prompt.ToolResult(
                    r.toolUseId(),
                    "(elided: an earlier tool result of "
                        + r.content().length()
                        + " characters; call the tool again if you need it)",
                    r.error()));
          } else {
            blocks.add(b);
          }
        }
        turns.set(i, new Prompt.Turn(t.role(), blocks, false));
      }
    }
    // The cache mark on the newest turn: the next call reads everything before it from the cache.
    List<Prompt.Turn> marked = new ArrayList<>(turns);
    Prompt.Turn last = marked.remove(marked.size() - 1);
    marked.add(new Prompt.Turn(last.role(), last.blocks(), true));
    return new Prompt(
        system, marked, s.properties.anthropic().maxOutputTokens(), AgentTools.specs());
  }

  private static long estimate(Prompt prompt) {
    long n = 0;
    for (Prompt.SystemBlock b : prompt.system()) n += TokenEstimate.of(b.text());
    for (Prompt.Turn t : prompt.turns())
      for (Prompt.Block b : t.blocks()) {
        if (b instanceof Prompt.Text x) n += TokenEstimate.of(x.text());
        else if (b instanceof Prompt.ToolResult r) n += TokenEstimate.of(r.content());
        else n += 200;
      }
    return n + 2000;
  }

  // --- one tool call ------------------------------------------------------------------------

  private Prompt.ToolResult runTool(int step, Prompt.ToolUse use) {
    String stepId = new ObjectId().toHexString();
    long t0 = System.nanoTime();
    Map<String, Object> input = use.input();
    AgentTools.Kind kind = AgentTools.KINDS.get(use.name());
    AgentTools.Outcome outcome;
    String approvedBy = null;
    String cp = null;
    if (control.stopped()) {
      outcome = new AgentTools.Outcome("cancelled", "The user stopped the turn.", null);
      sendTool(stepId, step, use, "running", null);
    } else if (kind == null) {
      sendTool(stepId, step, use, "running", null);
      outcome = AgentTools.Outcome.error("There is no tool named " + use.name() + ".");
    } else if (kind == AgentTools.Kind.READ) {
      approvedBy = "read-only";
      sendTool(stepId, step, use, "running", null);
      outcome =
          guarded(
              () -> s.tools.read(use.name(), input, projectId, request.authorization(), written));
    } else {
      Gate gate =
          kind == AgentTools.Kind.EDIT
              ? editGate(stepId, step, use)
              : commandGate(stepId, step, use);
      approvedBy = gate.approvedBy;
      if (gate.outcome != null) {
        outcome = gate.outcome;
      } else {
        String taken = checkpoint();
        if (taken == null && !checkpointTaken) {
          outcome = AgentTools.Outcome.error(checkpointFailure);
        } else {
          cp = checkpointId;
          if (kind == AgentTools.Kind.EDIT) {
            AgentTools.Change change = gate.change;
            outcome = guarded(() -> s.tools.apply(change, projectId, request.authorization()));
            if ("ok".equals(outcome.status())) {
              s.context.treeChanged(projectId);
              if (!"delete".equals(change.action())) written.add(change.path());
            }
          } else {
            outcome = command(stepId, input);
            s.context.treeChanged(projectId);
          }
        }
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String uiOutput = cap(outcome.output(), UI_OUTPUT_BYTES);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("stepId", stepId);
    result.put("status", outcome.status());
    result.put("output", uiOutput);
    result.put("approvedBy", approvedBy);
    if (outcome.exitCode() != null) result.put("exitCode", outcome.exitCode());
    result.put("durationMs", ms);
    if (cp != null) result.put("checkpointId", cp);
    events.send("tool-result", result);
    steps.add(
        new ChatMessage.Step(
            stepId,
            step,
            use.name(),
            input,
            outcome.status(),
            uiOutput,
            approvedBy,
            outcome.exitCode(),
            cp));
    audit(use, approvedBy, outcome.status());
    activity();
    String forModel = cap(outcome.output(), s.properties.agent().maxToolResultBytes());
    if ("denied".equals(outcome.status())) forModel = "The user denied this step. " + forModel;
    return new Prompt.ToolResult(use.id(), forModel, !"ok".equals(outcome.status()));
  }

  private interface ToolRun {
    AgentTools.Outcome run();
  }

  private static AgentTools.Outcome guarded(ToolRun run) {
    try {
      return run.run();
    } catch (AgentTools.BadInput e) {
      return AgentTools.Outcome.error(e.getMessage());
    } catch (WorkspaceClient.Failure e) {
      return AgentTools.Outcome.error(e.getMessage());
    }
  }

  /** Whether a write or command may run: its approver, or the outcome that replaces running it. */
  private record Gate(String approvedBy, AgentTools.Outcome outcome, AgentTools.Change change) {}

  private Gate editGate(String stepId, int step, Prompt.ToolUse use) {
    AgentTools.Change change;
    try {
      change = s.tools.preview(use.name(), use.input(), projectId, request.authorization());
    } catch (AgentTools.BadInput | WorkspaceClient.Failure e) {
      sendTool(stepId, step, use, "running", null);
      return new Gate(null, AgentTools.Outcome.error(e.getMessage()), null);
    }
    if (permissions().edits()) {
      sendTool(stepId, step, use, "running", null);
      return new Gate("auto-edits", null, change);
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("path", change.path());
    c.put("action", change.action());
    if (change.before() != null)
      c.put("before", cap(change.before(), AgentTools.MAX_PREVIEW_CHARS));
    if (change.after() != null) c.put("after", cap(change.after(), AgentTools.MAX_PREVIEW_CHARS));
    Map<String, Object> approval = ordered("kind", "edit", "changes", List.of(c));
    return decide(stepId, step, use, approval, change);
  }

  private Gate commandGate(String stepId, int step, Prompt.ToolUse use) {
    String command;
    try {
      command = AgentTools.text(use.input(), "command");
      if (command.isBlank()) throw new AgentTools.BadInput("command must not be empty.");
    } catch (AgentTools.BadInput e) {
      sendTool(stepId, step, use, "running", null);
      return new Gate(null, AgentTools.Outcome.error(e.getMessage()), null);
    }
    if (CommandPatterns.allows(permissions().commandPatterns(), command)) {
      sendTool(stepId, step, use, "running", null);
      return new Gate("auto-pattern", null, null);
    }
    return decide(stepId, step, use, ordered("kind", "command", "command", command), null);
  }

  private Gate decide(
      String stepId,
      int step,
      Prompt.ToolUse use,
      Map<String, Object> approval,
      AgentTools.Change change) {
    var timeout = s.properties.agent().approvalTimeout();
    CompletableFuture<AgentSignals.Decision> decision =
        s.signals.awaitDecision(stepId, control.conversationId, request.user().id(), timeout);
    control.onStop(() -> decision.complete(AgentSignals.Decision.STOPPED));
    sendTool(stepId, step, use, "awaiting-approval", approval);
    AgentSignals.Decision d;
    try {
      d = decision.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      d = AgentSignals.Decision.TIMED_OUT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      d = AgentSignals.Decision.STOPPED;
    } catch (ExecutionException e) {
      d = AgentSignals.Decision.STOPPED;
    } finally {
      control.onStop(null);
      s.signals.forget(stepId);
    }
    if ("stopped".equals(d.decision())) {
      return new Gate(
          null, new AgentTools.Outcome("cancelled", "The user stopped the turn.", null), null);
    }
    if (!d.approved()) {
      return new Gate(
          null, new AgentTools.Outcome("denied", "Not run: the user denied it.", null), null);
    }
    sendTool(stepId, step, use, "running", null);
    return new Gate("user", null, change);
  }

  private Conversation.Permissions permissions() {
    return s.conversations.require(control.conversationId).permissionsOrNone();
  }

  private String checkpointFailure;

  /**
   * Takes the turn's checkpoint before its first write; null (and nothing may be written) when it
   * fails.
   */
  private String checkpoint() {
    if (checkpointTaken) return checkpointId;
    try {
      var cp =
          s.tools
              .workspace()
              .checkpoint(
                  projectId, "Before AI agent turn " + control.turnId, request.authorization());
      checkpointTaken = true;
      checkpointId = cp.path("id").asString(null);
      events.send(
          "checkpoint",
          ordered(
              "checkpointId", checkpointId,
              "createdAt", cp.path("createdAt").asString(null),
              "fileCount", cp.path("fileCount").asLong(0)));
      return checkpointId;
    } catch (WorkspaceClient.Failure e) {
      checkpointFailure =
          "Not written: the checkpoint taken before the first change of a turn failed ("
              + e.getMessage()
              + "), so nothing is changed.";
      return null;
    }
  }

  private AgentTools.Outcome command(String stepId, Map<String, Object> input) {
    try {
      Integer timeout = AgentTools.integer(input, "timeoutSeconds");
      AgentTools.Outcome outcome =
          s.tools.run(
              AgentTools.text(input, "command"),
              timeout,
              projectId,
              request.authorization(),
              t -> events.send("tool-output", ordered("stepId", stepId, "text", t)),
              control::exec,
              s.properties.agent().maxToolResultBytes());
      return outcome;
    } catch (AgentTools.BadInput e) {
      return AgentTools.Outcome.error(e.getMessage());
    } catch (WorkspaceClient.Failure e) {
      if (control.stopped()) {
        return new AgentTools.Outcome("cancelled", "The user stopped the command.", null);
      }
      return AgentTools.Outcome.error(e.getMessage());
    } finally {
      control.exec(null);
    }
  }

  private void sendTool(
      String stepId, int step, Prompt.ToolUse use, String status, Map<String, Object> approval) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("stepId", stepId);
    body.put("step", step);
    body.put("tool", use.name());
    body.put("input", use.input());
    body.put("status", status);
    if (approval != null) body.put("approval", approval);
    events.send("tool", body);
  }

  private void audit(Prompt.ToolUse use, String approvedBy, String outcome) {
    AuditPublisher publisher = s.audit.getIfAvailable();
    if (publisher == null) return;
    Map<String, String> details = new LinkedHashMap<>();
    details.put("conversationId", control.conversationId);
    details.put("tool", use.name());
    details.put("argsDigest", digest(use.input()));
    details.put("approvedBy", approvedBy == null ? "" : approvedBy);
    details.put("outcome", outcome);
    publisher.publish("ai.tool", request.user().id(), projectId, details);
  }

  static String digest(Map<String, Object> input) {
    try {
      byte[] canonical = CANONICAL.writeValueAsBytes(input);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void activity() {
    var template = s.redis.getIfAvailable();
    if (template == null) return;
    try {
      template.convertAndSend(AccessChannels.WORKSPACE_ACTIVITY, projectId);
    } catch (RuntimeException e) {
      log.debug("could not publish workspace activity: {}", e.toString());
    }
  }

  // --- the outcome ---------------------------------------------------------------------------

  private void finish(CompletableFuture<ChatMessage> userMessage, ApiException failure) {
    try {
      userMessage.join();
    } catch (RuntimeException e) {
      log.error("could not store the user's message in conversation {}", control.conversationId, e);
    }
    boolean interrupted = failure != null || "stopped".equals(stopReason);
    ChatMessage saved = null;
    try {
      saved =
          s.conversations.addAssistantMessage(
              request.conversation(),
              text.toString(),
              model,
              turnUsage,
              turnCost,
              interrupted,
              List.copyOf(steps));
    } catch (RuntimeException e) {
      log.error("could not store the agent's answer in conversation {}", control.conversationId, e);
    }
    if (failure != null) {
      events.send("error", ProblemEvents.body(Problems.of(failure)));
    } else {
      Map<String, Object> done = new LinkedHashMap<>();
      done.put("messageId", saved == null ? null : saved.id());
      done.put("usage", usageJson(turnUsage, turnCost));
      done.put("stopReason", stopReason);
      events.send("done", done);
    }
    try {
      emitter.complete();
    } catch (RuntimeException ignored) {
      // Already completed by a timeout or a client that left.
    }
  }

  /**
   * The user's tokens were revoked (signed out, password changed, disabled): the client hears it
   * now, then the model call and any command stop and nothing more is sent.
   */
  void revoke(ProblemDetail problem) {
    events.send("error", ProblemEvents.body(problem));
    events.close();
    control.stop();
    try {
      emitter.complete();
    } catch (RuntimeException ignored) {
      // Already completed by a timeout or a client that left.
    }
  }

  private static String cap(String text, int maxBytes) {
    if (text == null) return "";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) return text;
    String head = new String(bytes, 0, maxBytes, StandardCharsets.UTF_8);
    // A cut inside a multi-byte character leaves a replacement character; drop it.
    if (head.endsWith("\uFFFD")) head = head.substring(0, head.length() - 1);
    return head + "\n… (cut off at " + maxBytes / 1024 + " KB)";
  }

  private static Map<String, Object> ordered(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], pairs[i + 1]);
    return m;
  }
}
