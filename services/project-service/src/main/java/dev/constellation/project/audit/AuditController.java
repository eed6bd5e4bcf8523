package dev.constellation.project.audit;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.project.PageResponse;
import dev.constellation.project.Paging;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AuditController {
  private final MongoTemplate mongo;

  AuditController(MongoTemplate mongo) {
    this.mongo = mongo;
  }

  @EventListener(ApplicationReadyEvent.class)
  void createIndexes() {
    var indexes = mongo.indexOps(AuditRecord.class);
    indexes.createIndex(new Index().on("time", Sort.Direction.DESC).named("time"));
    indexes.createIndex(
        new Index()
            .on("actorId", Sort.Direction.ASC)
            .on("time", Sort.Direction.DESC)
            .named("actor_time"));
    indexes.createIndex(
        new Index()
            .on("projectId", Sort.Direction.ASC)
            .on("time", Sort.Direction.DESC)
            .named("project_time"));
  }

  /**
   * Newest first; every filter optional; {@code from} inclusive, {@code to} exclusive (ISO-8601
   * instants).
   */
  @GetMapping("/api/admin/audit")
  PageResponse<AuditRecord> list(
      @CurrentUser AuthenticatedUser user,
      @RequestParam(required = false) String actorId,
      @RequestParam(required = false) String action,
      @RequestParam(required = false) String projectId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    if (!user.isAdmin()) throw ApiException.forbidden("Only an ADMIN can read the audit log.");
    Paging paging = Paging.of(page, size);
    List<Criteria> filters = new ArrayList<>();
    if (actorId != null && !actorId.isBlank()) filters.add(Criteria.where("actorId").is(actorId));
    if (action != null && !action.isBlank()) filters.add(Criteria.where("action").is(action));
    if (projectId != null && !projectId.isBlank())
      filters.add(Criteria.where("projectId").is(projectId));
    Instant fromTime = instant("from", from);
    Instant toTime = instant("to", to);
    if (fromTime != null) filters.add(Criteria.where("time").gte(fromTime));
    if (toTime != null) filters.add(Criteria.where("time").lt(toTime));
    Query query =
        filters.isEmpty() ? new Query() : Query.query(new Criteria().andOperator(filters));
    long total = mongo.count(query, AuditRecord.class);
    List<AuditRecord> items =
        mongo.find(
            Query.of(query)
                .with(Sort.by(Sort.Direction.DESC, "time").and(Sort.by(Sort.Direction.DESC, "_id")))
                .skip(paging.offset())
                .limit(paging.size()),
            AuditRecord.class);
    return new PageResponse<>(items, paging.page(), paging.size(), total);
  }

  private static Instant instant(String field, String value) {
    if (value == null || value.isBlank()) return null;
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.validation(
          field, field + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z.");
    }
  }
}
