package dev.constellation.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.auth.DisabledUsers;
import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import dev.constellation.system.security.Checklist;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * B67: Redis, then the database, unreachable for 30 s — frozen with SIGSTOP, so that connections
 * stay open and nothing answers, which is harder on clients than a refused connection — while two
 * users keep working. Meanwhile every request is answered with a 503 problem within {@link #LIMIT}
 * (never a hang, never a stack trace); a disabled user and a signed-out session are refused, never
 * let through; afterwards everything works again with no manual step and every acknowledged write
 * is there.
 */
class StoresUnreachableIT {
  /** The longest a request may wait for a frozen store (docs/operations.md). */
  static final Duration LIMIT = Duration.ofSeconds(8);

  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @Test
  @Checklist({"B67"})
  void redisUnreachableFor30sGivesTimely503sFailsClosedAndRecovers() throws Exception {
    var stack = SystemStack.get();
    CommittedWrites writes = CommittedWrites.make("frozen-redis");
    Api api = writes.api;
    Api.Session disabled = api.register("frozen-redis-disabled");
    assertThat(
            StackFaults.redis(
                stack.redis().port(), "SET", DisabledUsers.key(disabled.userId()), "1"))
        .isEqualTo("+OK");
    Api.Session signedOut = api.register("frozen-redis-signed-out");
    var logout =
        api.send(
            "POST", "/api/auth/logout", null, Map.of("refreshToken", signedOut.refreshToken()));
    assertThat(logout.statusCode()).as(logout.body()).isEqualTo(204);
    assertThat(api.get("/api/projects", disabled.accessToken()).statusCode()).isEqualTo(401);
    assertThat(api.get("/api/projects", signedOut.accessToken()).statusCode()).isEqualTo(401);

    ProcessHandle redis = stack.redis().serverProcess().orElseThrow();
    frozenFor30s(
        "Redis",
        redis,
        writes,
        took -> {
          took.add(
              unavailable(
                  "project list", () -> api.get("/api/projects", writes.alice.accessToken())));
          took.add(
              unavailable(
                  "file save",
                  () ->
                      StackFaults.putFile(
                          api, writes.alice, writes.aliceProject, "during.txt", "x")));
          // Whether a user is disabled or signed out cannot be asked: refused, never let in.
          took.add(
              unavailable("disabled user", () -> api.get("/api/projects", disabled.accessToken())));
          took.add(
              unavailable(
                  "signed-out session", () -> api.get("/api/projects", signedOut.accessToken())));
          took.add(unavailable("sign-in", () -> signIn(writes)));
        });
    assertThat(api.get("/api/projects", disabled.accessToken()).statusCode()).isEqualTo(401);
    assertThat(api.get("/api/projects", signedOut.accessToken()).statusCode()).isEqualTo(401);
  }

  @Test
  @Checklist({"B67"})
  void databaseUnreachableFor30sGivesTimely503sAndRecovers() throws Exception {
    var stack = SystemStack.get();
    CommittedWrites writes = CommittedWrites.make("frozen-db");
    Api api = writes.api;
    ProcessHandle database =
        stack
            .mongoProcess()
            .orElseThrow(() -> new AssertionError("the system stack runs the database in-JVM"));
    frozenFor30s(
        "database",
        database,
        writes,
        took -> {
          took.add(
              unavailable(
                  "project list", () -> api.get("/api/projects", writes.alice.accessToken())));
          took.add(
              unavailable(
                  "conversation list",
                  () ->
                      api.get(
                          "/api/projects/" + writes.aliceProject + "/conversations",
                          writes.alice.accessToken())));
          took.add(unavailable("sign-in", () -> signIn(writes)));
          // Without a valid token nothing reads the database: 401, never a way in.
          assertThat(
                  StackFaults.timed(
                          LIMIT, "no token", () -> api.get("/api/projects", "not-a-token"))
                      .statusCode())
              .isEqualTo(401);
        });
  }

  /** What a user tries once a second while a store is frozen; adds each request's time in ms. */
  private interface Attempts {
    void tryAll(List<Long> took) throws Exception;
  }

  /**
   * Freezes {@code store} for {@link #OUTAGE} under the two users' load, making {@code attempts}
   * once a second while it is frozen; then every service must work again with no manual step and
   * every acknowledged write be there.
   */
  private static void frozenFor30s(
      String store, ProcessHandle process, CommittedWrites writes, Attempts attempts)
      throws Exception {
    List<Long> took = new ArrayList<>();
    try (var load = writes.load()) {
      CommittedWrites.awaitSomeCommits(load);
      long frozen = System.nanoTime();
      signal("STOP", process);
      try {
        while (System.nanoTime() - frozen < OUTAGE.toNanos() - LIMIT.toNanos()) {
          attempts.tryAll(took);
          Thread.sleep(1000);
        }
        long left = OUTAGE.toNanos() - (System.nanoTime() - frozen);
        if (left > 0) TimeUnit.NANOSECONDS.sleep(left);
      } finally {
        signal("CONT", process);
      }
      long back = System.nanoTime();
      StackFaults.await(
          Duration.ofSeconds(30),
          "every service works again with no manual step",
          writes::everyServiceAnswers);
      FaultRecoveryIT.recovered(store + " unreachable 30 s (SIGSTOP, then SIGCONT)", back);
      System.out.println("OUTAGE|" + store + " unreachable|slowest 503 ms|" + max(took));
      writes.assertNothingLostUnder(load);
    }
  }

  private static HttpResponse<String> signIn(CommittedWrites writes) throws Exception {
    return writes.api.send(
        "POST",
        "/api/auth/login",
        null,
        Map.of("email", writes.alice.email(), "password", CommittedWrites.PASSWORD));
  }

  /** A 503 problem within {@link #LIMIT}; returns how long it took in ms. */
  private static long unavailable(String what, StackFaults.Request request) throws Exception {
    long started = System.nanoTime();
    HttpResponse<String> response = StackFaults.timed(LIMIT, what, request);
    StackFaults.assertUnavailableProblem(response, what);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
  }

  private static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(-1);
  }

  /** SIGSTOP freezes a process (its sockets stay open, nothing answers); SIGCONT thaws it. */
  static void signal(String signal, ProcessHandle process) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -" + signal).isZero();
  }
}
