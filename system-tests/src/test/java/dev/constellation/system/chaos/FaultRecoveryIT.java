package dev.constellation.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.LocalStack;
import dev.constellation.localstack.ServiceProcess;
import dev.constellation.system.SystemStack;
import dev.constellation.system.security.Checklist;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * B28, B68: kill -9 of each service, of redis-server and of the database server, one at a time
 * while two users keep working: 503 problems meanwhile, recovery without a manual step in the
 * stack, and every write that was acknowledged — users, projects, members, files, conversations,
 * audit — still there afterwards. Each recovery time is printed as {@code RECOVERY|<fault>|<ms>}
 * (docs/operations.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultRecoveryIT {
  private CommittedWrites writes;

  @BeforeAll
  void committedWrites() throws Exception {
    writes = CommittedWrites.make("fault");
  }

  @ParameterizedTest
  @ValueSource(strings = {"project-service", "workspace-service", "claude-service", "api-gateway"})
  @Checklist({"B28"})
  void killedServiceComesBackWithEveryCommittedWrite(String name) throws Exception {
    ServiceProcess service = SystemStack.get().service(name);
    try (var load = writes.load()) {
      CommittedWrites.awaitSomeCommits(load);
      service.kill();
      long killed = System.nanoTime();
      if (!name.equals("api-gateway")) {
        HttpResponse<String> down =
            StackFaults.timed(
                Duration.ofSeconds(3),
                name + " down",
                () -> writes.api.get(route(name), writes.alice.accessToken()));
        assertThat(down.statusCode()).as(name + " down: " + down.body()).isEqualTo(503);
        StackFaults.assertNoStackTrace(down, name + " down");
      } else {
        assertThat(StackFaults.accepts("127.0.0.1", service.port())).isFalse();
      }
      Thread.sleep(1000);
      service.start();
      service.awaitReady(Duration.ofSeconds(300));
      StackFaults.await(
          Duration.ofSeconds(30),
          name + " route answers again",
          () ->
              CommittedWrites.status(() -> writes.api.get(route(name), writes.alice.accessToken()))
                  == 200);
      recovered("kill -9 " + name + " (restarted after 1 s)", killed);
      writes.assertNothingLostUnder(load);
    }
  }

  @Test
  @Checklist({"B28", "B68"})
  void killedRedisComesBackByItselfWithEveryCommittedWrite() throws Exception {
    LocalStack stack = SystemStack.get();
    try (var load = writes.load()) {
      CommittedWrites.awaitSomeCommits(load);
      ProcessHandle redis = stack.redis().serverProcess().orElseThrow();
      redis.destroyForcibly();
      long killed = System.nanoTime();
      StackFaults.await(Duration.ofSeconds(5), "redis-server dies", () -> !redis.isAlive());
      StackFaults.assertUnavailableProblem(
          writes.api.get("/api/projects", writes.alice.accessToken()), "project list, Redis down");
      StackFaults.await(
          Duration.ofSeconds(40),
          "every service works again with no manual step",
          writes::everyServiceAnswers);
      recovered("kill -9 redis-server (the launcher restarts it)", killed);
      writes.assertNothingLostUnder(load);
    }
  }

  /**
   * The database server (the MongoDB-wire server, in a process of its own in the system stack)
   * killed with SIGKILL: no shutdown hook runs and its H2 file is not closed, so only what it
   * committed before answering survives — which must be every acknowledged write.
   */
  @Test
  @Checklist({"B28", "B68"})
  void killedDatabaseServerComesBackWithEveryCommittedWrite() throws Exception {
    LocalStack stack = SystemStack.get();
    try (var load = writes.load()) {
      CommittedWrites.awaitSomeCommits(load);
      ProcessHandle database =
          stack
              .mongoProcess()
              .orElseThrow(() -> new AssertionError("the system stack runs the database in-JVM"));
      database.destroyForcibly();
      long killed = System.nanoTime();
      StackFaults.await(
          Duration.ofSeconds(5), "the database server dies", () -> !database.isAlive());
      try {
        StackFaults.assertUnavailableProblem(
            StackFaults.timed(
                Duration.ofSeconds(5),
                "project list",
                () -> writes.api.get("/api/projects", writes.alice.accessToken())),
            "project list, database killed");
        Thread.sleep(2000);
      } finally {
        stack.startMongo();
      }
      StackFaults.await(
          Duration.ofSeconds(40),
          "every service works again with no manual step",
          writes::everyServiceAnswers);
      recovered("kill -9 database server (restarted after 2 s)", killed);
      writes.assertNothingLostUnder(load);
    }
  }

  /** The measured recovery, for docs/operations.md. */
  static void recovered(String fault, long sinceNanos) {
    System.out.println(
        "RECOVERY|" + fault + "|" + Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis());
  }

  private String route(String service) {
    String route =
        switch (service) {
          case "project-service" -> "/api/projects";
          case "workspace-service", "api-gateway" -> "/api/projects/%s/files?path=";
          case "claude-service" -> "/api/projects/%s/conversations";
          default -> throw new IllegalArgumentException(service);
        };
    return route.formatted(writes.aliceProject);
  }
}
