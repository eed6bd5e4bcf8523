package dev.constellation.claude.usage;

import dev.constellation.claude.config.InvalidFieldException;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.CurrentUser;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Admins see who spent how many tokens, by day, user, project and model. */
@RestController
class UsageController {

  record UsageRow(
      String day,
      String userId,
      String projectId,
      String model,
      long requests,
      long inputTokens,
      long outputTokens,
      long cacheReadInputTokens,
      long cacheCreationInputTokens,
      long totalTokens) {}

  record Totals(
      long requests,
      long inputTokens,
      long outputTokens,
      long cacheReadInputTokens,
      long cacheCreationInputTokens,
      long totalTokens) {}

  record UsagePage(List<UsageRow> items, int page, int size, long total, Totals totals) {}

  private final MongoTemplate mongo;

  UsageController(MongoTemplate mongo) {
    this.mongo = mongo;
  }

  /** Filters are optional; {@code from}/{@code to} are inclusive UTC days (yyyy-MM-dd). */
  @GetMapping("/api/admin/usage")
  UsagePage usage(
      @CurrentUser AuthenticatedUser user,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String userId,
      @RequestParam(required = false) String projectId,
      @RequestParam(required = false) String model,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    if (!user.isAdmin()) {
      throw ApiException.forbidden("Only administrators can see AI usage.");
    }
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
    int p = Math.max(0, page);
    int s = Math.min(Math.max(1, size), 500);
    List<UsageRow> rows =
        all.stream()
            .skip((long) p * s)
            .limit(s)
            .map(
                r ->
                    new UsageRow(
                        r.day(),
                        r.userId(),
                        r.projectId(),
                        r.model(),
                        r.requests(),
                        r.inputTokens(),
                        r.outputTokens(),
                        r.cacheReadInputTokens(),
                        r.cacheCreationInputTokens(),
                        r.totalTokens()))
            .toList();
    Totals totals =
        new Totals(
            all.stream().mapToLong(UsageRecord::requests).sum(),
            all.stream().mapToLong(UsageRecord::inputTokens).sum(),
            all.stream().mapToLong(UsageRecord::outputTokens).sum(),
            all.stream().mapToLong(UsageRecord::cacheReadInputTokens).sum(),
            all.stream().mapToLong(UsageRecord::cacheCreationInputTokens).sum(),
            all.stream().mapToLong(UsageRecord::totalTokens).sum());
    return new UsagePage(rows, p, s, all.size(), totals);
  }

  private static String day(String value, String field) {
    try {
      return java.time.LocalDate.parse(value).toString();
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidFieldException(field, field + " must be a day like 2026-01-31.");
    }
  }
}
