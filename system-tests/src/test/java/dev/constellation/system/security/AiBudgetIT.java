package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.SystemStack;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A user's AI spending is bounded before the calls run, not discovered after: tokens are reserved
 * atomically (max_tokens plus the estimated input) and settled when the call ends, and one user can
 * only run a few AI calls at once.
 */
class AiBudgetIT {
  /**
   * max_tokens of an edit proposal (constellation.claude.anthropic.max-edit-tokens): the least an
   * edit reserves.
   */
  private static final long EDIT_MAX_TOKENS = 16_000;

  private final AiClient ai = new AiClient();

  @Test
  @Checklist({"A15", "B26"})
  void parallelCallsOfOneUserNeverReserveMoreThanTheDailyBudget() throws Exception {
    AiClient.User user = ai.register("spender");
    String projectId = ai.project(user);
    long fit = SystemStack.AI_DAILY_TOKEN_BUDGET / EDIT_MAX_TOKENS; // 2 with the stack's settings
    int parallel = SystemStack.AI_USER_CONCURRENCY;
    assertThat(parallel)
        .as("the test needs more parallel calls than the budget admits")
        .isGreaterThan((int) fit);

    // Each call takes 1.5 s upstream, so all of them are in flight together: a check of the
    // spent total before the call (and a charge after it) would let every one through.
    List<HttpResponse<String>> answers =
        inParallel(
            parallel,
            () -> ai.proposeEdits(user, projectId, "Add a comment to index.js FAKE-DELAY-1500"));

    List<HttpResponse<String>> served =
        answers.stream().filter(r -> r.statusCode() == 200).toList();
    List<HttpResponse<String>> refused =
        answers.stream().filter(r -> r.statusCode() != 200).toList();
    assertThat(served).as("calls served at once").hasSizeBetween(1, (int) fit);
    assertThat(refused)
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
              assertThat(r.headers().firstValue("Content-Type").orElse(""))
                  .startsWith("application/problem+json");
              assertThat(r.body()).contains("ai-budget-exceeded");
              assertThat(r.headers().firstValue("Retry-After")).isPresent();
            });

    // Settled: what was reserved but not spent came back, also for calls that failed upstream, so
    // more sequential calls than the budget could hold as reservations still go through.
    for (int i = 0; i < fit + 1; i++) {
      HttpResponse<String> failed =
          ai.proposeEdits(user, projectId, "index.js FAKE-UPSTREAM-ERROR");
      assertThat(failed.statusCode()).as(failed.body()).isEqualTo(502);
    }
    for (int i = 0; i < fit + 1; i++) {
      HttpResponse<String> again = ai.proposeEdits(user, projectId, "Add a comment to index.js");
      assertThat(again.statusCode())
          .as("sequential call %d after the burst: %s", i, again.body())
          .isEqualTo(200);
    }
  }

  @Test
  @Checklist({"B60"})
  void manyMembersAtOnceNeverReserveMoreThanTheProjectsDailyBudget() throws Exception {
    AiClient.User owner = ai.register("project-spender");
    String projectId = ai.project(owner);
    int members = 5;
    List<AiClient.User> team = new ArrayList<>();
    team.add(owner);
    for (int i = 1; i < members; i++) {
      AiClient.User member = ai.register("project-spender-" + i);
      ai.addMember(owner, projectId, member, "EDITOR");
      team.add(member);
    }
    long fit = SystemStack.AI_PROJECT_DAILY_TOKEN_BUDGET / EDIT_MAX_TOKENS; // 3
    assertThat(fit)
        .as("each member alone is within their own budget; together they are not")
        .isLessThan(members);

    // One call each, all in flight together (1.5 s upstream): only the project's budget binds.
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    List<HttpResponse<String>> answers =
        inParallel(
            members,
            () ->
                ai.proposeEdits(
                    team.get(next.getAndIncrement()),
                    projectId,
                    "Add a comment to index.js FAKE-DELAY-1500"));

    List<HttpResponse<String>> served =
        answers.stream().filter(r -> r.statusCode() == 200).toList();
    List<HttpResponse<String>> refused =
        answers.stream().filter(r -> r.statusCode() != 200).toList();
    assertThat(served).as("calls served at once").hasSizeBetween(1, (int) fit);
    assertThat(refused)
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
              assertThat(r.body())
                  .contains("ai-budget-exceeded", "\"budget\":\"project\"", "This project's");
              assertThat(r.headers().firstValue("Retry-After")).isPresent();
            });

    // Another project of the same users is not held back by the first one's budget.
    String elsewhere = ai.project(team.get(1));
    HttpResponse<String> other =
        ai.proposeEdits(team.get(1), elsewhere, "Add a comment to index.js");
    assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
  }

  @Test
  @Checklist({"B61"})
  void theSpendReportIsForAdminsAndTheMeterForMembersOnly() throws Exception {
    AiClient.User owner = ai.register("metered");
    AiClient.User viewer = ai.register("metered-viewer");
    AiClient.User stranger = ai.register("metered-stranger");
    String projectId = ai.project(owner);
    ai.addMember(owner, projectId, viewer, "VIEWER");
    HttpResponse<String> spent = ai.proposeEdits(owner, projectId, "Add a comment to index.js");
    assertThat(spent.statusCode()).as(spent.body()).isEqualTo(200);

    for (String query : List.of("", "?groupBy=user", "?groupBy=project", "?groupBy=model")) {
      for (AiClient.User user : List.of(owner, viewer, stranger)) {
        HttpResponse<String> r = ai.send("GET", "/api/admin/usage" + query, user.token(), null);
        assertThat(r.statusCode()).as("non-admin GET /api/admin/usage" + query).isEqualTo(403);
        assertThat(r.body()).doesNotContain(owner.id());
      }
    }
    Accounts.Session admin = Accounts.admin();
    HttpResponse<String> report =
        ai.send(
            "GET",
            "/api/admin/usage?groupBy=user&projectId=" + projectId,
            admin.accessToken(),
            null);
    assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
    var row = AiClient.JSON.readTree(report.body()).path("items").get(0);
    assertThat(row.path("userId").asString()).isEqualTo(owner.id());
    assertThat(row.path("costUsd").asDouble()).isPositive();

    String meter = "/api/projects/" + projectId + "/ai/usage";
    HttpResponse<String> forViewer = ai.send("GET", meter, viewer.token(), null);
    assertThat(forViewer.statusCode()).as(forViewer.body()).isEqualTo(200);
    var today = AiClient.JSON.readTree(forViewer.body()).path("today");
    assertThat(today.path("project").path("usedTokens").asLong()).isPositive();
    assertThat(today.path("user").path("usedTokens").asLong()).as("the viewer's own").isZero();
    assertThat(today.path("project").path("budgetTokens").asLong())
        .isEqualTo(SystemStack.AI_PROJECT_DAILY_TOKEN_BUDGET);
    HttpResponse<String> forStranger = ai.send("GET", meter, stranger.token(), null);
    assertThat(forStranger.statusCode()).isEqualTo(404);
    assertThat(forStranger.body()).doesNotContain("usedTokens");
  }

  @Test
  @Checklist({"A15"})
  void perUserStreamCapRefusesTheExtraStreamWhileAnotherUserStillStreams() throws Exception {
    AiClient.User greedy = ai.register("greedy");
    AiClient.User other = ai.register("other");
    String greedyProject = ai.project(greedy);
    String otherProject = ai.project(other);
    String conversation = ai.conversation(greedy, greedyProject);

    List<HttpResponse<InputStream>> held = new ArrayList<>();
    try {
      for (int i = 0; i < SystemStack.AI_USER_CONCURRENCY; i++) {
        HttpResponse<InputStream> open = ai.openChat(greedy, conversation, "FAKE-HOLD stream " + i);
        held.add(open);
        assertThat(open.statusCode()).isEqualTo(200);
        // Wait for the first delta: the call is admitted and running upstream.
        assertThat(AiClient.readUntil(AiClient.reader(open), "delta")).isNotEmpty();
      }

      HttpResponse<String> extra =
          ai.send(
              "POST",
              "/api/conversations/" + conversation + "/messages",
              greedy.token(),
              java.util.Map.of("content", "one more"));
      assertThat(extra.statusCode()).as(extra.body()).isEqualTo(429);
      assertThat(extra.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(extra.body()).contains("ai-too-many-streams");
      assertThat(extra.headers().firstValue("Retry-After")).isPresent();

      AiClient.Answer fair =
          ai.chat(
              other,
              ai.conversation(other, otherProject),
              "hello while greedy holds three",
              Duration.ofSeconds(20));
      assertThat(fair.status()).as(fair.body()).isEqualTo(200);
      assertThat(fair.hasEvent("done")).as(fair.body()).isTrue();
    } finally {
      for (HttpResponse<InputStream> open : held) open.body().close();
    }

    // Leaving frees the slots: the greedy user can stream again once the cancels have landed.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    AiClient.Answer after;
    do {
      after = ai.chat(greedy, conversation, "back again", Duration.ofSeconds(20));
    } while (after.status() == 429 && System.nanoTime() < deadline && pause());
    assertThat(after.status()).as(after.body()).isEqualTo(200);
  }

  private static boolean pause() throws InterruptedException {
    Thread.sleep(200);
    return true;
  }

  private static <T> List<T> inParallel(int n, Callable<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) futures.add(pool.submit(call));
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) results.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
