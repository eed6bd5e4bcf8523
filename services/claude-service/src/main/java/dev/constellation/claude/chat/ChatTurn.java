package dev.constellation.claude.chat;

import dev.constellation.claude.config.ClaudeProperties;
import dev.constellation.claude.context.HistoryWindow;
import dev.constellation.claude.context.ProjectContext;
import dev.constellation.claude.context.PromptTexts;
import dev.constellation.claude.context.TokenEstimate;
import dev.constellation.claude.conversation.ChatMessage;
import dev.constellation.claude.conversation.Conversation;
import dev.constellation.claude.conversation.ConversationService;
import dev.constellation.claude.upstream.ClaudeClient;
import dev.constellation.claude.upstream.Completion;
import dev.constellation.claude.upstream.Prompt;
import dev.constellation.claude.upstream.StreamControl;
import dev.constellation.claude.upstream.TokenUsage;
import dev.constellation.claude.usage.AiCall;
import dev.constellation.claude.usage.UsageService;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Owns an ask-mode turn from request to recorded outcome: admitted (tokens reserved, a worker free)
 * before the stream opens, then on its own thread the upstream call started at once (the user's
 * message stored beside it), each delta to the client as it arrives, and the outcome recorded in
 * one place ({@link #record}) however the turn ended.
 */
@Component
class ChatTurn {
  private static final Logger log = LoggerFactory.getLogger(ChatTurn.class);

  /** Reserved per listed file-tree entry: a path of about 30 characters. */
  private static final int TREE_ENTRY_TOKENS = 8;

  /** What the controller has checked and read before the stream starts. */
  record Turn(
      Conversation conversation,
      AuthenticatedUser user,
      String content,
      String attachments,
      String authorization) {}

  private final ConversationService conversations;
  private final ClaudeClient claude;
  private final UsageService usage;
  private final ProjectContext context;
  private final JsonMapper json;
  private final ClaudeProperties properties;
  private final StreamWorkers workers;
  private final OpenStreams streams;

  ChatTurn(
      ConversationService conversations,
      ClaudeClient claude,
      UsageService usage,
      ProjectContext context,
      JsonMapper json,
      ClaudeProperties properties,
      OpenStreams streams,
      StreamWorkers workers) {
    this.streams = streams;
    this.conversations = conversations;
    this.claude = claude;
    this.usage = usage;
    this.context = context;
    this.json = json;
    this.properties = properties;
    this.workers = workers;
  }

  SseEmitter start(Turn turn) {
    SseEmitter emitter = new SseEmitter(properties.limits().emitterTimeout().toMillis());
    StreamControl control = new StreamControl();
    emitter.onTimeout(control::cancel);
    emitter.onError(e -> control.cancel());
    List<ChatMessage> history = conversations.messages(turn.conversation().id());
    AiCall call =
        usage.begin(turn.user(), turn.conversation().projectId(), maxTokens(turn, history));
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    // Known by user, so that revoking the user's tokens ends the stream too.
    OpenStreams.Open open =
        streams.open(
            turn.user().id(),
            problem -> {
              try {
                new EventSender(emitter, json, control).error(problem);
              } catch (EventSender.ClientGoneException gone) {
                // already gone: closing is all that is left
              }
              control.cancel();
              emitter.complete();
            });
    try {
      workers.execute(
          () -> {
            if (mdc != null) MDC.setContextMap(mdc);
            try (call) {
              run(turn, call, history, emitter, control);
            } finally {
              open.close();
              MDC.clear();
            }
          });
    } catch (RejectedExecutionException e) {
      open.close();
      call.close();
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "busy",
          "Too many answers in progress",
          "Too many AI answers are being streamed right now; try again in a moment.");
    }
    return emitter;
  }

  /**
   * What one answer may cost at most, reserved before it starts: max_tokens, the message and its
   * attachments, the history sent (capped like the window), the instructions and an allowance for
   * the file tree. A summary made on the way is charged on top when it happens.
   */
  long maxTokens(Turn turn, List<ChatMessage> history) {
    long historyTokens = 0;
    for (ChatMessage m : history) historyTokens += TokenEstimate.of(m.content());
    return properties.anthropic().maxOutputTokens()
        + TokenEstimate.of(turn.content())
        + TokenEstimate.of(turn.attachments())
        + Math.min(historyTokens, properties.context().historyTokenBudget())
        + TokenEstimate.of(PromptTexts.CHAT)
        + (long) properties.context().maxTreeEntries() * TREE_ENTRY_TOKENS;
  }

  private void run(
      Turn turn,
      AiCall call,
      List<ChatMessage> history,
      SseEmitter emitter,
      StreamControl control) {
    EventSender sender = new EventSender(emitter, json, control);
    // A write is the only way to notice a client that left while the model is still thinking (no
    // deltas yet): the heartbeat's interval bounds how long a paid upstream call outlives its
    // client.
    long every = properties.limits().heartbeatInterval().toMillis();
    ScheduledFuture<?> heartbeat =
        workers
            .timers()
            .scheduleAtFixedRate(sender::heartbeat, every, every, TimeUnit.MILLISECONDS);
    Conversation conversation = turn.conversation();
    String projectId = conversation.projectId();
    StringBuilder received = new StringBuilder();
    // Storing the user's message waits on MongoDB: it runs beside the upstream call, and is
    // awaited before the answer is stored (so the two keep their order).
    CompletableFuture<ChatMessage> userStored =
        CompletableFuture.supplyAsync(
            () -> conversations.addUserMessage(conversation, turn.content(), turn.user().id()));
    Outcome outcome;
    try {
      Prompt prompt = prompt(turn, call, history);
      Completion answer =
          claude.stream(
              prompt,
              text -> {
                received.append(text);
                sender.delta(text);
              },
              control);
      outcome = new Outcome(answer.text(), answer.usage(), "ok", null);
    } catch (EventSender.ClientGoneException | CancellationException e) {
      log.info("client left conversation {} mid-answer; upstream cancelled", conversation.id());
      outcome = new Outcome(received.toString(), control.usage(), "cancelled", null);
    } catch (ApiException e) {
      outcome = new Outcome(received.toString(), control.usage(), "error", e);
    } catch (RuntimeException e) {
      log.error("answer in conversation {} failed", conversation.id(), e);
      outcome =
          new Outcome(
              received.toString(),
              control.usage(),
              "error",
              new ApiException(
                  HttpStatus.INTERNAL_SERVER_ERROR,
                  "internal",
                  "Internal error",
                  "Something went wrong on our side; the request id identifies it in the logs."));
    } finally {
      heartbeat.cancel(false);
    }
    record(turn, call, userStored, outcome, sender, emitter);
  }

  /**
   * How a turn ended: what arrived, the tokens counted, {@code ok}, {@code cancelled} (the client
   * left) or {@code error} with its problem.
   */
  private record Outcome(String text, TokenUsage usage, String kind, ApiException failure) {}

  /**
   * The one place a turn's outcome is recorded, however it ended: the user's message awaited, the
   * answer stored (marked interrupted unless it finished), the call charged, then {@code done} or
   * {@code error} to a client that is still there.
   */
  private void record(
      Turn turn,
      AiCall call,
      CompletableFuture<ChatMessage> userStored,
      Outcome outcome,
      EventSender sender,
      SseEmitter emitter) {
    Conversation conversation = turn.conversation();
    try {
      userStored.join();
    } catch (RuntimeException e) {
      log.error("could not store the user's message in conversation {}", conversation.id(), e);
    }
    boolean finished = outcome.kind().equals("ok");
    ChatMessage saved = null;
    try {
      saved =
          conversations.addAssistantMessage(
              conversation, outcome.text(), claude.model(), outcome.usage(), !finished);
    } catch (RuntimeException e) {
      log.error("could not store the answer in conversation {}", conversation.id(), e);
    }
    usage.finish(call, claude.model(), "chat", outcome.usage(), outcome.kind());
    try {
      if (finished && saved != null) {
        sender.done(saved.id(), outcome.usage());
      } else if (finished) {
        sender.error(
            Problems.of(
                new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "storage-unavailable",
                    "Storage unavailable",
                    "The answer could not be stored; try again shortly.")));
      } else if (outcome.failure() != null) {
        sender.error(Problems.of(outcome.failure()));
      }
    } catch (EventSender.ClientGoneException gone) {
      log.debug("client gone before the final event");
    }
    emitter.complete();
  }

  /**
   * System prompt (instructions and file tree, then any summary) marked for prompt caching, the
   * kept history with the cache mark on its last turn, then the new message with its attachments.
   */
  Prompt prompt(Turn turn, AiCall call, List<ChatMessage> history) {
    Conversation conversation = turn.conversation();
    String tree = context.fileTree(conversation.projectId(), turn.authorization());
    List<Prompt.SystemBlock> system = new ArrayList<>();
    system.add(
        new Prompt.SystemBlock(
            PromptTexts.CHAT + "\n\nFiles of the project (paths relative to its root):\n" + tree,
            true));

    List<HistoryWindow.Entry> unsummarized = new ArrayList<>();
    boolean afterSummary = conversation.summarizedThrough() == null;
    for (ChatMessage m : history) {
      if (afterSummary && !m.content().isBlank())
        unsummarized.add(new HistoryWindow.Entry(m.id(), m.role(), m.content()));
      if (!afterSummary && m.id().equals(conversation.summarizedThrough())) afterSummary = true;
    }
    String summary = conversation.summary();
    HistoryWindow.Plan plan =
        HistoryWindow.plan(
            unsummarized, TokenEstimate.of(summary), properties.context().historyTokenBudget());
    if (!plan.summarize().isEmpty()) {
      summary = summarize(turn, call, summary, plan.summarize());
    }
    if (summary != null && !summary.isBlank()) {
      system.add(
          new Prompt.SystemBlock(
              "Summary of the earlier part of this conversation:\n" + summary, true));
    }
    List<Prompt.Turn> turns = new ArrayList<>();
    List<HistoryWindow.Entry> keep = plan.keep();
    for (int i = 0; i < keep.size(); i++) {
      HistoryWindow.Entry e = keep.get(i);
      turns.add(new Prompt.Turn(e.role(), e.text(), i == keep.size() - 1));
    }
    String message =
        turn.attachments().isEmpty()
            ? turn.content()
            : "Attached from the project:\n" + turn.attachments() + "\n" + turn.content();
    turns.add(Prompt.Turn.user(message));
    return new Prompt(system, turns, properties.anthropic().maxOutputTokens());
  }

  /** Folds {@code older} into the summary with one model call and stores it on the conversation. */
  private String summarize(
      Turn turn, AiCall call, String previous, List<HistoryWindow.Entry> older) {
    StringBuilder transcript = new StringBuilder();
    if (previous != null && !previous.isBlank()) {
      transcript.append("Summary so far:\n").append(previous).append("\n\nLater messages:\n");
    }
    int cap = properties.context().historyTokenBudget() * 8;
    for (HistoryWindow.Entry e : older) {
      String text = e.text().length() > 8000 ? e.text().substring(0, 8000) + " …" : e.text();
      transcript.append(e.role().toUpperCase()).append(": ").append(text).append("\n\n");
    }
    String body =
        transcript.length() > cap
            ? "… " + transcript.substring(transcript.length() - cap)
            : transcript.toString();
    Prompt prompt =
        new Prompt(
            List.of(
                new Prompt.SystemBlock(
                    "You summarize a conversation between a developer and an AI pair programmer so "
                        + "that it can continue without the full transcript. Keep decisions, file names, code identifiers, open "
                        + "questions and the user's preferences; drop pleasantries. At most 300 words.",
                    false)),
            List.of(Prompt.Turn.user(body + "\nWrite the summary now.")),
            1024);
    try {
      Completion result = claude.complete(prompt);
      usage.finish(call, claude.model(), "summary", result.usage(), "ok");
      String through = older.get(older.size() - 1).id();
      conversations.saveSummary(turn.conversation(), result.text(), through);
      return result.text();
    } catch (ApiException e) {
      // Without a fresh summary the older turns are simply left out; the answer matters more.
      log.warn("summarizing conversation {} failed: {}", turn.conversation().id(), e.getMessage());
      return previous;
    }
  }
}
