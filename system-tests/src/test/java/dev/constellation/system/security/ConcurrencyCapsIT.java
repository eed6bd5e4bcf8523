package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One user cannot hold more than the caps of execs and terminals at once; others are not slowed.
 */
class ConcurrencyCapsIT {
  /**
   * The defaults (WORKSPACE_EXEC_MAX_PER_USER, WORKSPACE_TERMINAL_MAX_PER_USER) the stack runs
   * with.
   */
  static final int EXECS_PER_USER = 8;

  static final int TERMINALS_PER_USER = 10;

  @BeforeAll
  static void docker() {
    Workspaces.requireDocker();
  }

  @Test
  @Checklist("A10")
  void theExecBeyondTheCapIsA429WhileAnotherUsersExecRuns() throws Exception {
    Workspaces.Project greedy = Workspaces.newProject("greedy").start();
    Workspaces.Project other = Workspaces.newProject("other").start();
    ExecutorService pool = Executors.newFixedThreadPool(EXECS_PER_USER);
    try {
      List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
      for (int i = 0; i < EXECS_PER_USER; i++) {
        running.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return greedy.execResponse("sleep 25", 60);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                pool));
      }
      awaitSleeps(greedy, EXECS_PER_USER);

      HttpResponse<String> refused = greedy.execResponse("echo one-too-many", 10);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
      assertThat(Api.json(refused).path("type").asString()).endsWith("/concurrent-execs");
      assertThat(refused.headers().firstValue("Retry-After"))
          .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());

      long began = System.nanoTime();
      assertThat(other.exec("echo unaffected").path("stdout").asString()).isEqualTo("unaffected\n");
      assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(15));

      for (var r : running) assertThat(r.get(90, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      // The places are given back.
      assertThat(greedy.exec("echo again").path("stdout").asString()).isEqualTo("again\n");
    } finally {
      pool.shutdownNow();
      greedy.delete();
      other.delete();
    }
  }

  @Test
  @Checklist("A10")
  void theTerminalBeyondTheCapIsRefusedAndClosingOneFreesAPlace() throws Exception {
    Workspaces.Project p = Workspaces.newProject("many-terminals").start();
    List<TerminalClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < TERMINALS_PER_USER; i++) open.add(TerminalClient.open(p));
      assertThat(
              open.get(TERMINALS_PER_USER - 1)
                  .run("echo last-$((1+1))", "last-2", Duration.ofSeconds(30)))
          .isTrue();
      var refused =
          p.api()
              .send(
                  "POST",
                  "/api/projects/" + p.id() + "/terminal/ticket",
                  p.owner().accessToken(),
                  null);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
      assertThat(Api.json(refused).path("type").asString()).endsWith("/concurrent-terminals");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();

      open.remove(0).close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      int status;
      do {
        status =
            p.api()
                .send(
                    "POST",
                    "/api/projects/" + p.id() + "/terminal/ticket",
                    p.owner().accessToken(),
                    null)
                .statusCode();
        if (status != 200) Thread.sleep(200);
      } while (status != 200 && System.nanoTime() < deadline);
      assertThat(status).as("a ticket once a terminal closed").isEqualTo(200);
    } finally {
      open.forEach(TerminalClient::close);
      p.delete();
    }
  }

  /**
   * Waits until {@code count} sleeps run in the workspace (seen with docker exec, not through the
   * capped API).
   */
  private static void awaitSleeps(Workspaces.Project p, int count) throws InterruptedException {
    String container = p.container();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String seen = "";
    while (System.nanoTime() < deadline) {
      seen = Workspaces.docker("exec", container, "sh", "-c", "pgrep -x sleep | wc -l").trim();
      if (Integer.parseInt(seen) >= count) return;
      Thread.sleep(200);
    }
    throw new AssertionError("only " + seen + " of " + count + " sleeps started");
  }
}
