package dev.constellation.claude.agent;

import dev.constellation.claude.chat.OpenStreams;
import dev.constellation.claude.chat.StreamWorkers;
import dev.constellation.claude.config.ClaudeProperties;
import dev.constellation.claude.context.HistoryWindow;
import dev.constellation.claude.context.ProjectContext;
import dev.constellation.claude.context.PromptTexts;
import dev.constellation.claude.context.TokenEstimate;
import dev.constellation.claude.conversation.ChatMessage;
import dev.constellation.claude.conversation.ConversationService;
import dev.constellation.claude.upstream.ClaudeClient;
import dev.constellation.claude.usage.AiCall;
import dev.constellation.claude.usage.UsageService;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.bson.types.ObjectId;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts agent turns: the conversation claimed for one turn (409 otherwise), the first model call
 * admitted by {@link UsageService} (a 429 problem before the stream otherwise), then the loop on
 * its own thread.
 */
@Service
public class AgentService {
  /** Reserved per listed file-tree entry: a path of about 30 characters. */
  private static final int TREE_ENTRY_TOKENS = 8;

  final ConversationService conversations;
  final ClaudeClient claude;
  final UsageService usage;
  final ProjectContext context;
  final AgentTools tools;
  final AgentSignals signals;
  final JsonMapper json;
  final ClaudeProperties properties;
  final ObjectProvider<AuditPublisher> audit;
  final ObjectProvider<StringRedisTemplate> redis;
  private final OpenStreams streams;
  private final StreamWorkers workers;
  final ScheduledExecutorService timers;

  AgentService(
      ConversationService conversations,
      ClaudeClient claude,
      UsageService usage,
      ProjectContext context,
      AgentTools tools,
      AgentSignals signals,
      JsonMapper json,
      ClaudeProperties properties,
      ObjectProvider<AuditPublisher> audit,
      ObjectProvider<StringRedisTemplate> redis,
      OpenStreams streams,
      StreamWorkers workers) {
    this.conversations = conversations;
    this.claude = claude;
    this.usage = usage;
    this.context = context;
    this.tools = tools;
    this.signals = signals;
    this.json = json;
    this.properties = properties;
    this.audit = audit;
    this.redis = redis;
    this.streams = streams;
    this.workers = workers;
    this.timers = workers.timers();
  }

  public SseEmitter start(AgentRequest request) {
    var agent = properties.agent();
    String turnId = new ObjectId().toHexString();
    TurnControl control = new TurnControl(turnId, request.conversation().id(), request.user().id());
    signals.claimTurn(control, agent.maxWall().plus(Duration.ofMinutes(2)));
    AiCall first;
    List<ChatMessage> history;
    try {
      history = conversations.messages(request.conversation().id());
      first =
          usage.begin(
              request.user(),
              request.conversation().projectId(),
              firstCallTokens(request, history));
    } catch (RuntimeException e) {
      signals.releaseTurn(control);
      throw e;
    }
    SseEmitter emitter = new SseEmitter(properties.limits().emitterTimeout().toMillis());
    emitter.onTimeout(control::stop);
    emitter.onError(e -> control.stop());
    AgentLoop loop = new AgentLoop(this, request, control, emitter, history, first);
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    // Known by user, so that revoking the user's tokens ends the turn (and its command) too.
    OpenStreams.Open open = streams.open(request.user().id(), loop::revoke);
    try {
      workers.execute(
          () -> {
            if (mdc != null) MDC.setContextMap(mdc);
            try {
              loop.run();
            } finally {
              open.close();
              signals.releaseTurn(control);
              MDC.clear();
            }
          });
    } catch (RejectedExecutionException e) {
      open.close();
      first.close();
      signals.releaseTurn(control);
      throw new ApiException(
          ProblemType.BUSY,
          "Too many AI answers are being streamed right now; try again in a moment.");
    }
    return emitter;
  }

  /** What the first call may cost at most: max_tokens, the message, history, instructions, tree. */
  long firstCallTokens(AgentRequest request, List<ChatMessage> history) {
    long historyTokens = 0;
    for (ChatMessage m : history) historyTokens += TokenEstimate.of(m.content());
    return properties.anthropic().maxOutputTokens()
        + TokenEstimate.of(request.content())
        + TokenEstimate.of(request.attachments())
        + Math.min(historyTokens, properties.context().historyTokenBudget())
        + TokenEstimate.of(PromptTexts.AGENT)
        + 2000
        + (long) properties.context().maxTreeEntries() * TREE_ENTRY_TOKENS;
  }

  /** The earlier turns of the conversation as text, newest kept within the history budget. */
  List<HistoryWindow.Entry> historyWindow(List<ChatMessage> history) {
    List<HistoryWindow.Entry> entries =
        history.stream()
            .filter(m -> m.content() != null && !m.content().isBlank())
            .map(m -> new HistoryWindow.Entry(m.id(), m.role(), m.content()))
            .toList();
    return HistoryWindow.plan(entries, 0, properties.context().historyTokenBudget()).keep();
  }
}
