package dev.constellation.claude.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.constellation.claude.support.FakeAnthropic;
import dev.constellation.claude.support.TestStack;
import dev.constellation.common.audit.AuditEvent;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Budgets per project, dollars on every record and event, the spend report and the chat's meter.
 */
class UsageReportIT extends TestStack {
  private static final String MODEL = "claude-sonnet-4-5";

  @Autowired StringRedisTemplate redis;

  @Test
  void aProjectWhoseBudgetOtherMembersSpentRefusesWith429NamingTheProject() {
    Member m = member("EDITOR");
    spent(m.projectId(), "u-" + UUID.randomUUID(), "x", PROJECT_DAILY_BUDGET, 0);
    String cid = newConversation(m);

    Stream s = send(cid, m.token(), Map.of("content", "hi"));

    assertThat(s.status()).isEqualTo(429);
    assertThat(s.contentType()).startsWith("application/problem+json");
    JsonNode problem = JSON.readTree(s.body());
    assertThat(problem.get("type").asString()).endsWith("ai-budget-exceeded");
    assertThat(problem.get("budget").asString()).isEqualTo("project");
    assertThat(problem.get("budgetTokens").asLong()).isEqualTo(PROJECT_DAILY_BUDGET);
    assertThat(problem.get("detail").asString())
        .contains("This project's daily AI budget", "shared by all its members");
    assertThat(ANTHROPIC.received()).isEmpty();
  }

  @Test
  void aSpentUserBudgetIsNamedAsTheUsers() {
    Member m = member("EDITOR");
    spent(m.projectId(), m.userId(), "x", DAILY_BUDGET, 0);

    Stream s = send(newConversation(m), m.token(), Map.of("content", "hi"));

    assertThat(s.status()).isEqualTo(429);
    JsonNode problem = JSON.readTree(s.body());
    assertThat(problem.get("budget").asString()).isEqualTo("user");
    assertThat(problem.get("detail").asString()).startsWith("Your daily AI budget");
  }

  @Test
  void eachCallsCostInDollarsIsOnTheUsageRecordAndTheAuditEvent() {
    Member m = member("EDITOR");
    ANTHROPIC.enqueue(new FakeAnthropic.Text(List.of("a", "b"), Duration.ZERO, 1_000, 2_000, 500));

    Stream s = send(newConversation(m), m.token(), Map.of("content", "hi"));
    assertThat(s.status()).isEqualTo(200);

    // Sonnet: $3 in, $15 out, $3.75 cache write, $0.30 cache read per million tokens.
    double expected = (1_000 * 3.00 + 2 * 15.00 + 500 * 3.75 + 2_000 * 0.30) / 1_000_000;
    JsonNode row = admin("/api/admin/usage?projectId=" + m.projectId()).get("items").get(0);
    assertThat(row.get("model").asString()).isEqualTo(MODEL);
    assertThat(row.get("costUsd").asDouble()).isCloseTo(expected, within(1e-9));
    assertThat(row.get("cacheHitRate").asDouble()).isCloseTo(2_000 / 3_500d, within(1e-9));

    Map<Object, Object> event = lastAuditEvent("ai.request", m.projectId());
    assertThat(event).containsEntry("actorId", m.userId());
    assertThat(Double.parseDouble((String) event.get("d.costUsd")))
        .isCloseTo(expected, within(1e-6));
  }

  @Test
  void theSpendReportSumsPerUserProjectOrModelMostExpensiveFirst() {
    String project = "p-" + UUID.randomUUID();
    String other = "p-" + UUID.randomUUID();
    String ann = "u-ann-" + UUID.randomUUID();
    String bob = "u-bob-" + UUID.randomUUID();
    spent(project, ann, "claude-haiku-4-5", 1_000, 0.25);
    spent(project, ann, "claude-opus-4-5", 2_000, 1.50);
    spent(project, bob, "claude-haiku-4-5", 500, 0.10);
    spent(other, bob, "claude-opus-4-5", 9_000, 4.00);

    JsonNode byUser = admin("/api/admin/usage?groupBy=user&projectId=" + project);
    assertThat(byUser.get("total").asLong()).isEqualTo(2);
    JsonNode first = byUser.get("items").get(0);
    assertThat(first.get("userId").asString()).isEqualTo(ann);
    assertThat(first.has("day")).isFalse();
    assertThat(first.has("model")).isFalse();
    assertThat(first.get("totalTokens").asLong()).isEqualTo(3_000);
    assertThat(first.get("costUsd").asDouble()).isCloseTo(1.75, within(1e-9));
    assertThat(byUser.get("items").get(1).get("userId").asString()).isEqualTo(bob);
    assertThat(byUser.get("totals").get("costUsd").asDouble()).isCloseTo(1.85, within(1e-9));

    JsonNode byProject = admin("/api/admin/usage?groupBy=project&userId=" + bob);
    assertThat(byProject.get("items").get(0).get("projectId").asString()).isEqualTo(other);
    assertThat(byProject.get("items").get(1).get("projectId").asString()).isEqualTo(project);

    JsonNode byModel = admin("/api/admin/usage?groupBy=model&projectId=" + project);
    assertThat(byModel.get("items").get(0).get("model").asString()).isEqualTo("claude-opus-4-5");
    assertThat(byModel.get("items").get(1).get("model").asString()).isEqualTo("claude-haiku-4-5");
    assertThat(byModel.get("items").get(1).get("requests").asLong()).isEqualTo(2);
    assertThat(byModel.get("items").get(1).get("cacheHitRate").asDouble())
        .isCloseTo(0.5, within(1e-9));

    Response bad = call("GET", "/api/admin/usage?groupBy=day", adminToken(), null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("groupBy");
    Member m = member("EDITOR");
    assertThat(call("GET", "/api/admin/usage?groupBy=user", m.token(), null).status())
        .isEqualTo(403);
  }

  @Test
  void anyMemberSeesTodaysSpendOfTheProjectAndTheirOwnAgainstTheBudgets() {
    Member editor = member("EDITOR");
    Member viewer = joining(editor, "VIEWER");
    ANTHROPIC.enqueue(new FakeAnthropic.Text(List.of("x"), Duration.ZERO, 1_000, 0, 0));
    assertThat(send(newConversation(editor), editor.token(), Map.of("content", "hi")).status())
        .isEqualTo(200);

    Response forViewer =
        call("GET", "/api/projects/" + editor.projectId() + "/ai/usage", viewer.token(), null);
    assertThat(forViewer.status()).isEqualTo(200);
    JsonNode today = forViewer.json().get("today");
    assertThat(today.get("user").get("usedTokens").asLong()).isZero();
    assertThat(today.get("user").get("budgetTokens").asLong()).isEqualTo(DAILY_BUDGET);
    assertThat(today.get("project").get("usedTokens").asLong()).isEqualTo(1_001);
    assertThat(today.get("project").get("budgetTokens").asLong()).isEqualTo(PROJECT_DAILY_BUDGET);
    assertThat(today.get("project").get("costUsd").asDouble())
        .isCloseTo((1_000 * 3.00 + 15.00) / 1_000_000, within(1e-9));

    JsonNode mine =
        call("GET", "/api/projects/" + editor.projectId() + "/ai/usage", editor.token(), null)
            .json()
            .get("today");
    assertThat(mine.get("user").get("usedTokens").asLong()).isEqualTo(1_001);

    Member stranger = member("EDITOR");
    assertThat(
            call("GET", "/api/projects/" + editor.projectId() + "/ai/usage", stranger.token(), null)
                .status())
        .isEqualTo(404);
  }

  private JsonNode admin(String path) {
    Response r = call("GET", path, adminToken(), null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static String adminToken() {
    return token("admin", Set.of("USER", "ADMIN"));
  }

  /**
   * A usage record of today as {@link UsageService} writes it, half of its input from the cache.
   */
  private void spent(String projectId, String userId, String model, long tokens, double cost) {
    String day = LocalDate.now(ZoneOffset.UTC).toString();
    mongo
        .getCollection("usage")
        .insertOne(
            new Document("_id", day + "|" + userId + "|" + projectId + "|" + model)
                .append("day", day)
                .append("userId", userId)
                .append("projectId", projectId)
                .append("model", model)
                .append("requests", 1L)
                .append("inputTokens", tokens / 2)
                .append("outputTokens", 0L)
                .append("cacheReadInputTokens", tokens / 2)
                .append("cacheCreationInputTokens", 0L)
                .append("totalTokens", tokens)
                .append("costUsd", cost));
  }

  private Map<Object, Object> lastAuditEvent(String action, String projectId) {
    var records =
        redis
            .opsForStream()
            .reverseRange(AuditEvent.STREAM, Range.unbounded(), Limit.limit().count(200));
    return records.stream()
        .map(r -> r.getValue())
        .filter(v -> action.equals(v.get("action")) && projectId.equals(v.get("projectId")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + action + " event for " + projectId));
  }
}
