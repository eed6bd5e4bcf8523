package dev.constellation.claude.agent;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where running turns and pending approvals are known across replicas. Redis holds who owns each
 * (the running turn of a conversation, the pending step and the user who may decide it); a decision
 * or a Stop is published on one channel and taken by the replica whose local waiter runs the turn.
 */
@Component
class AgentSignals implements MessageListener {
  private static final Logger log = LoggerFactory.getLogger(AgentSignals.class);
  static final String CHANNEL = "constellation:ai-agent";
  private static final String TURN_KEY = "constellation:ai:agent-turn:";
  private static final String STEP_KEY = "constellation:ai:agent-step:";

  /** A decision on a step: approve or deny, or the turn was stopped / the wait timed out. */
  record Decision(String decision, String allow, String pattern) {
    static final Decision STOPPED = new Decision("stopped", null, null);
    static final Decision TIMED_OUT = new Decision("deny", null, null);

    boolean approved() {
      return "approve".equals(decision);
    }
  }

  private final StringRedisTemplate redis;
  private final JsonMapper json;
  private final Map<String, CompletableFuture<Decision>> waiters = new ConcurrentHashMap<>();
  private final Map<String, TurnControl> turns = new ConcurrentHashMap<>();

  AgentSignals(StringRedisTemplate redis, JsonMapper json) {
    this.redis = redis;
    this.json = json;
  }

  /** Claims the conversation for one agent turn, or 409 {@code agent-turn-running}. */
  void claimTurn(TurnControl turn, Duration ttl) {
    String value = json.writeValueAsString(Map.of("turnId", turn.turnId, "userId", turn.userId));
    Boolean claimed;
    try {
      claimed = redis.opsForValue().setIfAbsent(TURN_KEY + turn.conversationId, value, ttl);
    } catch (RuntimeException e) {
      throw new ApiException(
          ProblemType.STORAGE_UNAVAILABLE, "Agent turns cannot be started right now; try again.");
    }
    if (!Boolean.TRUE.equals(claimed)) {
      throw new ApiException(
          ProblemType.AGENT_TURN_RUNNING,
          "An agent turn is already running in this conversation; wait for it to finish or stop it.");
    }
    turns.put(turn.conversationId, turn);
  }

  void releaseTurn(TurnControl turn) {
    turns.remove(turn.conversationId, turn);
    try {
      String key = TURN_KEY + turn.conversationId;
      JsonNode current = read(redis.opsForValue().get(key));
      if (current != null && turn.turnId.equals(current.path("turnId").asString(""))) {
        redis.delete(key);
      }
    } catch (RuntimeException e) {
      log.warn("could not release agent turn {}: {}", turn.turnId, e.toString());
    }
  }

  /**
   * Stops the conversation's running turn if {@code userId} started it: false when none runs, 403
   * when another user's runs.
   */
  boolean stop(String conversationId, String userId) {
    JsonNode current = read(redis.opsForValue().get(TURN_KEY + conversationId));
    if (current == null) return false;
    if (!userId.equals(current.path("userId").asString(""))) {
      throw ApiException.forbidden("Only the user who started this agent turn can stop it.");
    }
    publish(
        Map.of(
            "type",
            "stop",
            "conversationId",
            conversationId,
            "turnId",
            current.path("turnId").asString("")));
    return true;
  }

  /** Registers a step that waits for its user's decision; the future ends with it. */
  CompletableFuture<Decision> awaitDecision(
      String stepId, String conversationId, String userId, Duration ttl) {
    CompletableFuture<Decision> future = new CompletableFuture<>();
    waiters.put(stepId, future);
    redis
        .opsForValue()
        .set(
            STEP_KEY + stepId,
            json.writeValueAsString(Map.of("conversationId", conversationId, "userId", userId)),
            ttl);
    future.whenComplete((d, e) -> waiters.remove(stepId));
    return future;
  }

  /** Forgets a step nobody decided (timed out or stopped), so a late decision gets 404. */
  void forget(String stepId) {
    waiters.remove(stepId);
    try {
      redis.delete(STEP_KEY + stepId);
    } catch (RuntimeException e) {
      log.debug("could not forget step {}: {}", stepId, e.toString());
    }
  }

  /**
   * Takes a user's decision on a pending step: 404 for an unknown or already decided step (also of
   * another conversation), 403 for anyone but the turn's user. The step's record is removed first,
   * so two decisions cannot both count.
   */
  void decide(
      String conversationId, String stepId, String userId, Decision decision, Runnable taken) {
    String key = STEP_KEY + stepId;
    JsonNode pending = read(redis.opsForValue().get(key));
    if (pending == null || !conversationId.equals(pending.path("conversationId").asString(""))) {
      throw ApiException.notFound("No step " + stepId + " is waiting for a decision.");
    }
    if (!userId.equals(pending.path("userId").asString(""))) {
      throw ApiException.forbidden(
          "Only the user who started this agent turn can decide its steps.");
    }
    if (!Boolean.TRUE.equals(redis.delete(key))) {
      throw ApiException.notFound("Step " + stepId + " was already decided.");
    }
    taken.run();
    publish(
        Map.of(
            "type",
            "decision",
            "stepId",
            stepId,
            "decision",
            decision.decision(),
            "allow",
            decision.allow() == null ? "" : decision.allow(),
            "pattern",
            decision.pattern() == null ? "" : decision.pattern()));
  }

  private void publish(Map<String, String> message) {
    redis.convertAndSend(CHANNEL, json.writeValueAsString(message));
  }

  @Override
  public void onMessage(Message message, byte[] pattern) {
    JsonNode m = read(new String(message.getBody(), StandardCharsets.UTF_8));
    if (m == null) return;
    switch (m.path("type").asString("")) {
      case "decision" -> {
        CompletableFuture<Decision> waiter = waiters.get(m.path("stepId").asString(""));
        if (waiter != null) {
          waiter.complete(
              new Decision(
                  m.path("decision").asString(""),
                  blankToNull(m.path("allow").asString("")),
                  blankToNull(m.path("pattern").asString(""))));
        }
      }
      case "stop" -> {
        TurnControl turn = turns.get(m.path("conversationId").asString(""));
        if (turn != null && turn.turnId.equals(m.path("turnId").asString(""))) turn.stop();
      }
      default -> log.debug("unknown agent signal");
    }
  }

  private JsonNode read(String text) {
    if (text == null) return null;
    try {
      return json.readTree(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Configuration(proxyBeanMethods = false)
  static class Subscription {
    @Bean
    RedisMessageListenerContainer agentSignalSubscription(
        RedisConnectionFactory connections, AgentSignals signals) {
      var container = new RedisMessageListenerContainer();
      container.setConnectionFactory(connections);
      container.addMessageListener(signals, new ChannelTopic(CHANNEL));
      return container;
    }
  }
}
