package dev.constellation.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.auth.DisabledUsers;
import dev.constellation.localstack.LocalStack;
import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import dev.constellation.system.security.Checklist;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A17, B29, B30: with redis-server killed or the database stopped, requests get a fast 503 problem
 * (no hang, no stack trace), checks that need the missing store fail closed, and everything works
 * again afterwards with no manual step (the launcher restarts redis-server by itself).
 */
class StorageOutageIT {
  private static final Duration FAST = Duration.ofSeconds(3);
  private static final String PASSWORD = "correct horse battery staple";

  @Test
  @Checklist({"A17", "B29"})
  void redisKilledGivesFast503sFailsClosedAndRecoversByItself() throws Exception {
    LocalStack stack = SystemStack.get();
    Api api = new Api(SystemStack.gatewayUrl());
    Api project = new Api(stack.service("project-service").baseUrl());
    Api.Session alice = api.register("redis-outage-alice");
    Api.Session bob = api.register("redis-outage-bob");
    String projectId = CommittedWrites.createProject(api, alice);
    assertThat(StackFaults.putFile(api, alice, projectId, "before.txt", "before").statusCode())
        .isEqualTo(200);
    // Bob is disabled (as PATCH /api/admin/users would mark him): refused before the outage.
    int redisPort = stack.redis().port();
    assertThat(StackFaults.redis(redisPort, "SET", DisabledUsers.key(bob.userId()), "1"))
        .isEqualTo("+OK");
    assertThat(api.get("/api/projects", bob.accessToken()).statusCode()).isEqualTo(401);

    ProcessHandle redis = stack.redis().serverProcess().orElseThrow();
    redis.destroyForcibly();
    StackFaults.await(Duration.ofSeconds(5), "redis-server dies", () -> !redis.isAlive());

    var login =
        StackFaults.timed(
            FAST,
            "sign-in",
            () ->
                api.send(
                    "POST",
                    "/api/auth/login",
                    null,
                    Map.of("email", alice.email(), "password", PASSWORD)));
    StackFaults.assertUnavailableProblem(
        login, "sign-in while Redis is down (limiter fails closed here)");
    var wrongPassword =
        StackFaults.timed(
            FAST,
            "sign-in with a wrong password",
            () ->
                api.send(
                    "POST",
                    "/api/auth/login",
                    null,
                    Map.of("email", alice.email(), "password", "wrong password!")));
    StackFaults.assertUnavailableProblem(
        wrongPassword, "a wrong password must not be told apart while Redis is down");
    StackFaults.assertUnavailableProblem(
        StackFaults.timed(
            FAST, "project list", () -> api.get("/api/projects", alice.accessToken())),
        "project list");
    StackFaults.assertUnavailableProblem(
        StackFaults.timed(
            FAST,
            "file write",
            () -> StackFaults.putFile(api, alice, projectId, "during.txt", "x")),
        "file write");
    StackFaults.assertUnavailableProblem(
        StackFaults.timed(
            FAST,
            "terminal ticket",
            () ->
                api.send(
                    "POST",
                    "/api/projects/" + projectId + "/terminal/ticket",
                    alice.accessToken(),
                    null)),
        "terminal ticket");
    // The disabled-user check cannot be made: refused, never let through.
    StackFaults.assertUnavailableProblem(
        StackFaults.timed(FAST, "disabled user", () -> api.get("/api/projects", bob.accessToken())),
        "disabled user at the gateway");
    StackFaults.assertUnavailableProblem(
        StackFaults.timed(
            FAST,
            "disabled user at project-service",
            () -> project.get("/api/projects", bob.accessToken())),
        "disabled user at project-service directly");
    StackFaults.assertUnavailableProblem(
        StackFaults.timed(
            FAST,
            "project-service directly",
            () -> project.get("/api/projects", alice.accessToken())),
        "project-service directly");
    // The general per-address limit fails open (docs/operations.md): a public page still answers.
    assertThat(
            StackFaults.timed(FAST, "templates", () -> api.get("/api/templates", null))
                .statusCode())
        .as("public templates while Redis is down")
        .isEqualTo(200);
    assertThat(
            stack.redis().isAlive()
                && stack.redis().serverProcess().map(p -> p.pid() == redis.pid()).orElse(false))
        .as("the 503s above were seen while Redis was really down")
        .isFalse();

    // No manual step: the launcher starts redis-server again from its append-only file.
    StackFaults.await(
        Duration.ofSeconds(40),
        "sign-in works again",
        () ->
            CommittedWrites.status(
                    () ->
                        api.send(
                            "POST",
                            "/api/auth/login",
                            null,
                            Map.of("email", alice.email(), "password", PASSWORD)))
                == 200);
    StackFaults.await(
        Duration.ofSeconds(15),
        "project list works again",
        () -> CommittedWrites.status(() -> api.get("/api/projects", alice.accessToken())) == 200);
    assertThat(StackFaults.putFile(api, alice, projectId, "after.txt", "after").statusCode())
        .isEqualTo(200);
    assertThat(
            api.send(
                    "POST",
                    "/api/projects/" + projectId + "/terminal/ticket",
                    alice.accessToken(),
                    null)
                .statusCode())
        .isEqualTo(200);
    assertThat(project.get("/api/projects", alice.accessToken()).statusCode()).isEqualTo(200);
    assertThat(stack.redis().serverProcess().orElseThrow().pid()).isNotEqualTo(redis.pid());
    // The disabled flag was written before the crash: it survived it.
    assertThat(api.get("/api/projects", bob.accessToken()).statusCode()).isEqualTo(401);
    assertThat(project.get("/api/projects", bob.accessToken()).statusCode()).isEqualTo(401);
    assertThat(StackFaults.readFile(api, alice.accessToken(), projectId, "before.txt"))
        .isEqualTo("before");
  }

  @Test
  @Checklist({"B30"})
  void databaseDownGivesFast503sWithoutTracesAndNeverLetsAnUnauthenticatedCallerIn()
      throws Exception {
    LocalStack stack = SystemStack.get();
    Api api = new Api(SystemStack.gatewayUrl());
    Api project = new Api(stack.service("project-service").baseUrl());
    Api.Session alice = api.register("db-outage-alice");
    String projectId = CommittedWrites.createProject(api, alice);

    stack.stopMongo();
    try {
      Duration fast = Duration.ofSeconds(5);
      StackFaults.assertUnavailableProblem(
          StackFaults.timed(
              fast,
              "sign-in",
              () ->
                  api.send(
                      "POST",
                      "/api/auth/login",
                      null,
                      Map.of("email", alice.email(), "password", PASSWORD))),
          "sign-in");
      StackFaults.assertUnavailableProblem(
          StackFaults.timed(
              fast, "project list", () -> api.get("/api/projects", alice.accessToken())),
          "project list");
      StackFaults.assertUnavailableProblem(
          StackFaults.timed(
              fast, "project", () -> api.get("/api/projects/" + projectId, alice.accessToken())),
          "project");
      StackFaults.assertUnavailableProblem(
          StackFaults.timed(
              fast,
              "register",
              () ->
                  api.send(
                      "POST",
                      "/api/auth/register",
                      null,
                      Map.of(
                          "email",
                          "db-down@example.test",
                          "password",
                          PASSWORD,
                          "displayName",
                          "x"))),
          "register");
      // No way in without a valid token while the database cannot say who is who.
      String forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGVzIjpbIkFETUlOIl19.";
      for (Api target : new Api[] {api, project}) {
        for (String token : new String[] {null, forged, alice.accessToken() + "x"}) {
          for (String path :
              new String[] {
                "/api/projects", "/api/projects/" + projectId, "/api/auth/me", "/api/admin/users"
              }) {
            HttpResponse<String> response =
                StackFaults.timed(fast, path, () -> target.get(path, token));
            assertThat(response.statusCode())
                .as(path + " without a valid token: " + response.body())
                .isGreaterThanOrEqualTo(400);
            StackFaults.assertNoStackTrace(response, path);
          }
        }
      }
    } finally {
      stack.startMongo();
    }
    StackFaults.await(
        Duration.ofSeconds(40),
        "project list works again",
        () -> CommittedWrites.status(() -> api.get("/api/projects", alice.accessToken())) == 200);
    StackFaults.await(
        Duration.ofSeconds(20),
        "sign-in works again",
        () ->
            CommittedWrites.status(
                    () ->
                        api.send(
                            "POST",
                            "/api/auth/login",
                            null,
                            Map.of("email", alice.email(), "password", PASSWORD)))
                == 200);
    assertThat(api.get("/api/projects/" + projectId, alice.accessToken()).statusCode())
        .isEqualTo(200);
  }
}
