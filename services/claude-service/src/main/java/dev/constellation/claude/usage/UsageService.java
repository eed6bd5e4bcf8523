package dev.constellation.claude.usage;

import dev.constellation.claude.config.ClaudeProperties;
import dev.constellation.claude.upstream.TokenUsage;
import dev.constellation.common.access.AccessChannels;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * The bookkeeping around every AI request: the daily budget before, and after it the usage
 * record, metrics and the {@code ai.request} audit event.
 */
@Service
public class UsageService {
  private static final Logger log = LoggerFactory.getLogger(UsageService.class);

  private final MongoTemplate mongo;
  private final ObjectProvider<AuditPublisher> audit;
  private final ObjectProvider<StringRedisTemplate> redis;
  private final MeterRegistry meters;
  private final Clock clock;
  private final long dailyBudget;

  UsageService(MongoTemplate mongo, ObjectProvider<AuditPublisher> audit, ObjectProvider<StringRedisTemplate> redis,
      MeterRegistry meters, Clock clock, ClaudeProperties properties) {
    this.mongo = mongo;
    this.audit = audit;
    this.redis = redis;
    this.meters = meters;
    this.clock = clock;
    this.dailyBudget = properties.dailyTokenBudget();
  }

  /**
   * Refuses with 429 when the user's daily budget is spent, and tells the project's workspace that
   * someone is active in it.
   */
  public void begin(AuthenticatedUser user, String projectId) {
    if (dailyBudget > 0) {
      long used = usedToday(user.id());
      if (used >= dailyBudget) {
        long seconds = Math.max(1, Duration.between(clock.instant(),
            today().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()).toSeconds());
        throw new BudgetExceededException(
            "Your daily AI budget of " + dailyBudget + " tokens is spent (" + used + " used today); it resets at 00:00 UTC, in about "
                + (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min.", seconds);
      }
    }
    StringRedisTemplate template = redis.getIfAvailable();
    if (template != null) {
      try {
        template.convertAndSend(AccessChannels.WORKSPACE_ACTIVITY, projectId);
      } catch (RuntimeException e) {
        log.warn("could not publish workspace activity for project {}: {}", projectId, e.toString());
      }
    }
  }

  /** Records a finished (or failed, or interrupted) request; {@code usage} may be partial. */
  public void finish(AuthenticatedUser user, String projectId, String model, String kind, TokenUsage usage, String outcome) {
    TokenUsage u = usage == null ? TokenUsage.NONE : usage;
    meters.counter("constellation.ai.requests", "model", model, "kind", kind, "outcome", outcome).increment();
    meters.counter("constellation.ai.tokens", "model", model, "type", "input").increment(u.inputTokens());
    meters.counter("constellation.ai.tokens", "model", model, "type", "output").increment(u.outputTokens());
    meters.counter("constellation.ai.tokens", "model", model, "type", "cache_read").increment(u.cacheReadInputTokens());
    meters.counter("constellation.ai.tokens", "model", model, "type", "cache_creation").increment(u.cacheCreationInputTokens());
    if (u.cacheReadInputTokens() > 0) {
      meters.counter("constellation.ai.cache.hits", "model", model).increment();
    }
    String day = today().toString();
    try {
      mongo.upsert(
          Query.query(Criteria.where("_id").is(day + "|" + user.id() + "|" + projectId + "|" + model)),
          new Update()
              .set("day", day).set("userId", user.id()).set("projectId", projectId).set("model", model)
              .inc("requests", 1)
              .inc("inputTokens", u.inputTokens())
              .inc("outputTokens", u.outputTokens())
              .inc("cacheReadInputTokens", u.cacheReadInputTokens())
              .inc("cacheCreationInputTokens", u.cacheCreationInputTokens())
              .inc("totalTokens", u.total()),
          UsageRecord.class);
    } catch (RuntimeException e) {
      log.error("could not record AI usage of user {} in project {}: {}", user.id(), projectId, e.toString());
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("kind", kind);
    details.put("model", model);
    details.put("outcome", outcome);
    details.put("inputTokens", String.valueOf(u.inputTokens()));
    details.put("outputTokens", String.valueOf(u.outputTokens()));
    details.put("cacheReadInputTokens", String.valueOf(u.cacheReadInputTokens()));
    details.put("cacheCreationInputTokens", String.valueOf(u.cacheCreationInputTokens()));
    AuditPublisher publisher = audit.getIfAvailable();
    if (publisher != null) {
      publisher.publish("ai.request", user.id(), projectId, details);
    }
  }

  long usedToday(String userId) {
    long total = 0;
    for (org.bson.Document d : mongo.getCollection("usage")
        .find(new org.bson.Document("userId", userId).append("day", today().toString()))) {
      Object tokens = d.get("totalTokens");
      if (tokens instanceof Number n) total += n.longValue();
    }
    return total;
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** The daily budget is spent; carries the seconds until it resets for {@code Retry-After}. */
  public static class BudgetExceededException extends ApiException {
    private final long retryAfterSeconds;

    BudgetExceededException(String detail, long retryAfterSeconds) {
      super(HttpStatus.TOO_MANY_REQUESTS, "ai-budget-exceeded", "Daily AI budget spent", detail);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
