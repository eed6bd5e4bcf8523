package dev.constellation.claude.usage;

import dev.constellation.claude.config.ClaudeProperties;
import dev.constellation.claude.upstream.TokenUsage;
import dev.constellation.common.access.AccessChannels;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
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
 * The bookkeeping around every AI request: before it, a slot of the user's concurrency cap and the
 * tokens it may cost reserved against the daily budget; after each model call, the usage record,
 * metrics and the {@code ai.request} audit event; at the end, the reservation settled.
 */
@Service
public class UsageService {
  private static final Logger log = LoggerFactory.getLogger(UsageService.class);

  /**
   * Retry-After of a refusal by the concurrency cap: running answers usually end within seconds.
   */
  private static final long BUSY_RETRY_SECONDS = 5;

  private final MongoTemplate mongo;
  private final ObjectProvider<AuditPublisher> audit;
  private final ObjectProvider<StringRedisTemplate> redis;
  private final MeterRegistry meters;
  private final Clock clock;
  private final long dailyBudget;
  private final long projectBudget;
  private final UserCallLimiter limiter;

  UsageService(
      MongoTemplate mongo,
      ObjectProvider<AuditPublisher> audit,
      ObjectProvider<StringRedisTemplate> redis,
      MeterRegistry meters,
      Clock clock,
      ClaudeProperties properties) {
    this.mongo = mongo;
    this.audit = audit;
    this.redis = redis;
    this.meters = meters;
    this.clock = clock;
    this.dailyBudget = properties.dailyTokenBudget();
    this.projectBudget = properties.projectDailyTokenBudget();
    this.limiter = new UserCallLimiter(properties.limits().userConcurrency());
  }

  /**
   * Admits an AI request that may cost up to {@code maxTokens} (the call's max_tokens plus its
   * estimated input): takes one of the user's concurrent-call slots and reserves the tokens
   * atomically, or refuses with 429 and Retry-After. Also tells the project's workspace that
   * someone is active in it. The caller must close the returned call however the request ends.
   */
  public AiCall begin(AuthenticatedUser user, String projectId, long maxTokens) {
    if (!limiter.tryAcquire(user.id())) {
      meters.counter("constellation.ai.refused", "reason", "concurrency").increment();
      throw new TooManyCallsException(
          "You already have "
              + limiter.perUser()
              + " AI answers in progress; wait for one to finish (or stop it) and try again.",
          BUSY_RETRY_SECONDS);
    }
    AiCall call;
    try {
      call = reserve(user, projectId, maxTokens);
    } catch (RuntimeException e) {
      limiter.release(user.id());
      throw e;
    }
    StringRedisTemplate template = redis.getIfAvailable();
    if (template != null) {
      try {
        template.convertAndSend(AccessChannels.WORKSPACE_ACTIVITY, projectId);
      } catch (RuntimeException e) {
        log.warn(
            "could not publish workspace activity for project {}: {}", projectId, e.toString());
      }
    }
    return call;
  }

  private AiCall reserve(AuthenticatedUser user, String projectId, long maxTokens) {
    if (dailyBudget <= 0 && projectBudget <= 0) {
      return new AiCall(this, user, projectId, null, 0);
    }
    TokenLedger ledger = ledger();
    String day = today().toString();
    TokenLedger.Keys keys =
        new TokenLedger.Keys(
            TokenLedger.key(day, user.id()),
            dailyBudget,
            TokenLedger.projectKey(day, projectId),
            projectBudget);
    TokenLedger.Reservation reservation;
    try {
      // The usage records seed a ledger that does not exist yet (a new day, or Redis was emptied).
      long userSeed = dailyBudget <= 0 || ledger.exists(keys.user()) ? 0 : usedToday(user.id());
      long projectSeed =
          projectBudget <= 0 || ledger.exists(keys.project()) ? 0 : projectUsedToday(projectId);
      reservation = ledger.reserve(keys, maxTokens, userSeed, projectSeed);
    } catch (org.springframework.dao.DataAccessException e) {
      throw unavailable(e);
    }
    if (!reservation.granted()) {
      boolean project = reservation.refusedBy() == TokenLedger.Budget.PROJECT;
      meters
          .counter("constellation.ai.refused", "reason", project ? "project-budget" : "budget")
          .increment();
      throw project
          ? projectRefusal(maxTokens, reservation.projectTotal())
          : userRefusal(user, maxTokens, reservation.userTotal());
    }
    return new AiCall(this, user, projectId, keys, maxTokens);
  }

  private BudgetExceededException userRefusal(AuthenticatedUser user, long maxTokens, long total) {
    long left = Math.max(0, dailyBudget - total);
    long reset = secondsUntilReset();
    // Answers in progress return what they do not use when they end: worth trying again soon.
    long seconds = limiter.inFlight(user.id()) > 1 ? BUSY_RETRY_SECONDS : reset;
    String detail =
        left == 0
            ? "Your daily AI budget of "
                + dailyBudget
                + " tokens is spent; it resets at 00:00 UTC, in about "
                + inWords(reset)
                + "."
            : "This request may use up to "
                + maxTokens
                + " tokens, but only "
                + left
                + " of your daily AI budget of "
                + dailyBudget
                + " tokens are left (answers in progress hold their share until they finish); it resets at 00:00 UTC.";
    return new BudgetExceededException(detail, seconds, "user", dailyBudget);
  }

  private BudgetExceededException projectRefusal(long maxTokens, long total) {
    long left = Math.max(0, projectBudget - total);
    long reset = secondsUntilReset();
    // Other members' answers in progress may return part of their share; a spent budget waits.
    long seconds = left > 0 ? BUSY_RETRY_SECONDS : reset;
    String detail =
        left == 0
            ? "This project's daily AI budget of "
                + projectBudget
                + " tokens, shared by all its members, is spent; it resets at 00:00 UTC, in about "
                + inWords(reset)
                + "."
            : "This request may use up to "
                + maxTokens
                + " tokens, but only "
                + left
                + " of this project's daily AI budget of "
                + projectBudget
                + " tokens, shared by all its members, are left (answers in progress hold their share until they finish); it resets at 00:00 UTC.";
    return new BudgetExceededException(detail, seconds, "project", projectBudget);
  }

  private static String inWords(long seconds) {
    return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
  }

  /** Returns what was reserved but not charged to the ledgers and frees the user's slot. */
  void settle(AiCall call) {
    try {
      if (call.ledger() != null) {
        ledger().settle(call.ledger(), call.charged() - call.reserved());
      }
    } catch (RuntimeException e) {
      // The ledgers keep the whole reservation: the user and the project are under-served until
      // the keys expire, never over.
      log.error(
          "could not settle the AI token reservation of user {}: {}",
          call.user().id(),
          e.toString());
    } finally {
      limiter.release(call.user().id());
    }
  }

  private TokenLedger ledger() {
    StringRedisTemplate template = redis.getIfAvailable();
    if (template == null) {
      throw unavailable(null);
    }
    return new TokenLedger(template);
  }

  private static ApiException unavailable(Exception cause) {
    if (cause != null) log.warn("the AI token ledger is unavailable: {}", cause.toString());
    return new ApiException(
        ProblemType.STORAGE_UNAVAILABLE,
        "The AI budget cannot be checked right now; try again shortly.");
  }

  private long secondsUntilReset() {
    return Math.max(
        1,
        Duration.between(
                clock.instant(), today().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())
            .toSeconds());
  }

  /**
   * Records one finished (or failed, or interrupted) model call made for {@code call} and charges
   * it; {@code usage} may be partial.
   */
  public void finish(AiCall call, String model, String kind, TokenUsage usage, String outcome) {
    AuthenticatedUser user = call.user();
    String projectId = call.projectId();
    TokenUsage u = usage == null ? TokenUsage.NONE : usage;
    double cost = Pricing.costUsd(model, u);
    call.charge(u.total());
    meters
        .counter("constellation.ai.requests", "model", model, "kind", kind, "outcome", outcome)
        .increment();
    meters
        .counter("constellation.ai.tokens", "model", model, "type", "input")
        .increment(u.inputTokens());
    meters
        .counter("constellation.ai.tokens", "model", model, "type", "output")
        .increment(u.outputTokens());
    meters
        .counter("constellation.ai.tokens", "model", model, "type", "cache_read")
        .increment(u.cacheReadInputTokens());
    meters
        .counter("constellation.ai.tokens", "model", model, "type", "cache_creation")
        .increment(u.cacheCreationInputTokens());
    if (u.cacheReadInputTokens() > 0) {
      meters.counter("constellation.ai.cache.hits", "model", model).increment();
    }
    meters.counter("constellation.ai.cost.usd", "model", model).increment(cost);
    String day = today().toString();
    try {
      mongo.upsert(
          Query.query(
              Criteria.where("_id").is(day + "|" + user.id() + "|" + projectId + "|" + model)),
          new Update()
              .set("day", day)
              .set("userId", user.id())
              .set("projectId", projectId)
              .set("model", model)
              .inc("requests", 1)
              .inc("inputTokens", u.inputTokens())
              .inc("outputTokens", u.outputTokens())
              .inc("cacheReadInputTokens", u.cacheReadInputTokens())
              .inc("cacheCreationInputTokens", u.cacheCreationInputTokens())
              .inc("totalTokens", u.total())
              .inc("costUsd", cost),
          UsageRecord.class);
    } catch (RuntimeException e) {
      log.error(
          "could not record AI usage of user {} in project {}: {}",
          user.id(),
          projectId,
          e.toString());
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("kind", kind);
    details.put("model", model);
    details.put("outcome", outcome);
    details.put("inputTokens", String.valueOf(u.inputTokens()));
    details.put("outputTokens", String.valueOf(u.outputTokens()));
    details.put("cacheReadInputTokens", String.valueOf(u.cacheReadInputTokens()));
    details.put("cacheCreationInputTokens", String.valueOf(u.cacheCreationInputTokens()));
    details.put("costUsd", String.format(java.util.Locale.ROOT, "%.6f", cost));
    AuditPublisher publisher = audit.getIfAvailable();
    if (publisher != null) {
      publisher.publish("ai.request", user.id(), projectId, details);
    }
  }

  long usedToday(String userId) {
    return spentToday("userId", userId).tokens();
  }

  long projectUsedToday(String projectId) {
    return spentToday("projectId", projectId).tokens();
  }

  /** Tokens and dollars spent today (UTC), summed over the usage records of one user or project. */
  record Spent(long tokens, double costUsd) {}

  private Spent spentToday(String field, String id) {
    long tokens = 0;
    double cost = 0;
    for (org.bson.Document d :
        mongo
            .getCollection("usage")
            .find(new org.bson.Document(field, id).append("day", today().toString()))) {
      tokens += number(d, "totalTokens");
      // Records from before costs were kept are priced from their tokens.
      cost +=
          d.get("costUsd") instanceof Number n
              ? n.doubleValue()
              : Pricing.costUsd(
                  d.getString("model"),
                  new TokenUsage(
                      number(d, "inputTokens"),
                      number(d, "outputTokens"),
                      number(d, "cacheReadInputTokens"),
                      number(d, "cacheCreationInputTokens")));
    }
    return new Spent(tokens, cost);
  }

  private static long number(org.bson.Document d, String field) {
    return d.get(field) instanceof Number n ? n.longValue() : 0;
  }

  /** One budget as the chat's meter shows it; {@code budgetTokens} 0 = unlimited. */
  public record Meter(long usedTokens, long budgetTokens, double costUsd) {}

  /** What the user and the project have spent today against their budgets. */
  public record Today(Meter user, Meter project) {}

  public Today today(String userId, String projectId) {
    Spent user = spentToday("userId", userId);
    Spent project = spentToday("projectId", projectId);
    return new Today(
        new Meter(user.tokens(), Math.max(0, dailyBudget), user.costUsd()),
        new Meter(project.tokens(), Math.max(0, projectBudget), project.costUsd()));
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** A 429 that tells the client when to try again ({@code Retry-After}). */
  public abstract static class RetryLaterException extends ApiException {
    private final long retryAfterSeconds;

    RetryLaterException(String type, String title, String detail, long retryAfterSeconds) {
      super(HttpStatus.TOO_MANY_REQUESTS, type, title, detail);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /**
   * The request does not fit in what is left of a daily budget; the problem's {@code budget} member
   * says which ({@code "user"} or {@code "project"}), {@code budgetTokens} its size.
   */
  public static class BudgetExceededException extends RetryLaterException {
    private final String budget;

    BudgetExceededException(
        String detail, long retryAfterSeconds, String budget, long budgetTokens) {
      super("ai-budget-exceeded", "Daily AI budget spent", detail, retryAfterSeconds);
      this.budget = budget;
      withProperty("budget", budget);
      withProperty("budgetTokens", budgetTokens);
    }

    /** {@code "user"} or {@code "project"}: the budget that refused. */
    public String budget() {
      return budget;
    }
  }

  /** The user already has as many AI calls running as the cap allows. */
  public static class TooManyCallsException extends RetryLaterException {
    TooManyCallsException(String detail, long retryAfterSeconds) {
      super("ai-too-many-streams", "Too many AI answers in progress", detail, retryAfterSeconds);
    }
  }
}
