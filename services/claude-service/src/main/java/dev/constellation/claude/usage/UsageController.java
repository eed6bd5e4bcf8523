package dev.constellation.claude.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.constellation.claude.config.AccessGuard;
import dev.constellation.claude.config.InvalidFieldException;
import dev.constellation.claude.upstream.TokenUsage;
import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.CurrentUser;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who spent how many tokens and dollars: admins see it by day, user, project and model (or summed
 * per user, project or model); any member sees today's spend against the budgets in the chat.
 */
@RestController
class UsageController {

  /**
   * One usage record, or with {@code groupBy} the sum of the records of one user, project or model:
   * then only that key is set and {@code day} is null.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record UsageRow(
      @Nullable String day,
      @Nullable String userId,
      @Nullable String projectId,
      @Nullable String model,
      long requests,
      long inputTokens,
      long outputTokens,
      long cacheReadInputTokens,
      long cacheCreationInputTokens,
      long totalTokens,
      double costUsd,
      @Schema(description = "cache reads over all input tokens, 0..1") double cacheHitRate) {}

  record Totals(
      long requests,
      long inputTokens,
      long outputTokens,
      long cacheReadInputTokens,
      long cacheCreationInputTokens,
      long totalTokens,
      double costUsd,
      double cacheHitRate) {}

  record UsagePage(List<UsageRow> items, int page, int size, long total, Totals totals) {}

  /** Today's spend of the caller and of the project; {@code budgetTokens} 0 = unlimited. */
  record ProjectUsageResponse(UsageService.Today today) {}

  private final MongoTemplate mongo;
  private final UsageService usage;
  private final AccessGuard access;

  UsageController(MongoTemplate mongo, UsageService usage, AccessGuard access) {
    this.mongo = mongo;
    this.usage = usage;
    this.access = access;
  }

  /** The chat's budget meter: any member (VIEWER and up) may see it. */
  @GetMapping("/api/projects/{projectId}/ai/usage")
  ProjectUsageResponse projectUsage(
      @PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    access.require(user, projectId, ProjectAction.READ);
    return new ProjectUsageResponse(usage.today(user.id(), projectId));
  }

  /**
   * Filters are optional; {@code from}/{@code to} are inclusive UTC days (yyyy-MM-dd); {@code
   * groupBy} sums the matching records per user, project or model, most expensive first.
   */
  @GetMapping("/api/admin/usage")
  UsagePage usage(
      @CurrentUser AuthenticatedUser user,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String userId,
      @RequestParam(required = false) String projectId,
      @RequestParam(required = false) String model,
      @RequestParam(required = false) @Schema(allowableValues = {"user", "project", "model"})
          String groupBy,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    if (!user.isAdmin()) {
      throw ApiException.forbidden("Only administrators can see AI usage.");
    }
    Function<UsageRecord, String> key = grouping(groupBy);
    Criteria criteria = new Criteria();
    if (from != null || to != null) {
      Criteria day = Criteria.where("day");
      if (from != null) day = day.gte(day(from, "from"));
      if (to != null) day = day.lte(day(to, "to"));
      criteria = day;
    }
    Query query = Query.query(criteria);
    if (userId != null) query.addCriteria(Criteria.where("userId").is(userId));
    if (projectId != null) query.addCriteria(Criteria.where("projectId").is(projectId));
    if (model != null) query.addCriteria(Criteria.where("model").is(model));
    List<UsageRecord> all =
        mongo.find(
            query.with(
                Sort.by(Sort.Direction.DESC, "day").and(Sort.by("userId", "projectId", "model"))),
            UsageRecord.class);
    List<UsageRow> rows =
        key == null ? all.stream().map(UsageController::row).toList() : grouped(all, groupBy, key);
    int p = Math.max(0, page);
    int s = Math.min(Math.max(1, size), 500);
    Sum sum = new Sum();
    all.forEach(sum::add);
    Totals totals =
        new Totals(
            sum.requests,
            sum.input,
            sum.output,
            sum.cacheRead,
            sum.cacheCreation,
            sum.total,
            sum.cost,
            sum.cacheHitRate());
    return new UsagePage(
        rows.stream().skip((long) p * s).limit(s).toList(), p, s, rows.size(), totals);
  }

  private static @Nullable Function<UsageRecord, String> grouping(@Nullable String groupBy) {
    if (groupBy == null) return null;
    return switch (groupBy) {
      case "user" -> UsageRecord::userId;
      case "project" -> UsageRecord::projectId;
      case "model" -> UsageRecord::model;
      default ->
          throw new InvalidFieldException("groupBy", "groupBy must be user, project or model.");
    };
  }

  private static List<UsageRow> grouped(
      List<UsageRecord> records, String groupBy, Function<UsageRecord, String> key) {
    Map<String, Sum> sums = new LinkedHashMap<>();
    for (UsageRecord r : records) {
      sums.computeIfAbsent(String.valueOf(key.apply(r)), k -> new Sum()).add(r);
    }
    return sums.entrySet().stream()
        .map(
            e -> {
              Sum s = e.getValue();
              String k = e.getKey();
              return new UsageRow(
                  null,
                  groupBy.equals("user") ? k : null,
                  groupBy.equals("project") ? k : null,
                  groupBy.equals("model") ? k : null,
                  s.requests,
                  s.input,
                  s.output,
                  s.cacheRead,
                  s.cacheCreation,
                  s.total,
                  s.cost,
                  s.cacheHitRate());
            })
        .sorted(
            Comparator.comparingDouble(UsageRow::costUsd)
                .reversed()
                .thenComparing(Comparator.comparingLong(UsageRow::totalTokens).reversed()))
        .toList();
  }

  private static UsageRow row(UsageRecord r) {
    return new UsageRow(
        r.day(),
        r.userId(),
        r.projectId(),
        r.model(),
        r.requests(),
        r.inputTokens(),
        r.outputTokens(),
        r.cacheReadInputTokens(),
        r.cacheCreationInputTokens(),
        r.totalTokens(),
        r.cost(),
        Pricing.cacheHitRate(usageOf(r)));
  }

  private static TokenUsage usageOf(UsageRecord r) {
    return new TokenUsage(
        r.inputTokens(), r.outputTokens(), r.cacheReadInputTokens(), r.cacheCreationInputTokens());
  }

  private static final class Sum {
    long requests, input, output, cacheRead, cacheCreation, total;
    double cost;

    void add(UsageRecord r) {
      requests += r.requests();
      input += r.inputTokens();
      output += r.outputTokens();
      cacheRead += r.cacheReadInputTokens();
      cacheCreation += r.cacheCreationInputTokens();
      total += r.totalTokens();
      cost += r.cost();
    }

    double cacheHitRate() {
      return Pricing.cacheHitRate(new TokenUsage(input, output, cacheRead, cacheCreation));
    }
  }

  private static String day(String value, String field) {
    try {
      return java.time.LocalDate.parse(value).toString();
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidFieldException(field, field + " must be a day like 2026-01-31.");
    }
  }
}
