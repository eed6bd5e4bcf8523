package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.constellation.localstack.LocalStack;
import dev.constellation.localstack.ServiceProcess;
import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * B28: a crash of each service, of redis-server and of the database, one at a time while two users
 * keep working: 503 problems meanwhile, recovery without a manual step in the stack, and every
 * write that was acknowledged — users, projects, members, files, conversations, audit — still there
 * afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultRecoveryIT {
  private static final String PASSWORD = "correct horse battery staple";
  private Api api;
  private Api.Session alice;
  private Api.Session bob;
  private String aliceProject;
  private String bobProject;
  private String conversationId;
  private long auditEventsOfAlice;

  @BeforeAll
  void committedWrites() throws Exception {
    api = new Api(SystemStack.gatewayUrl());
    alice = api.register("fault-alice");
    bob = api.register("fault-bob");
    aliceProject = StorageOutageIT.createProject(api, alice);
    bobProject = StorageOutageIT.createProject(api, bob);
    var member =
        api.send(
            "PUT",
            "/api/projects/" + aliceProject + "/members/" + bob.userId(),
            alice.accessToken(),
            Map.of("role", "EDITOR"));
    assertThat(member.statusCode()).as(member.body()).isEqualTo(200);
    assertThat(
            StackFaults.putFile(api, alice, aliceProject, "notes/kept.txt", "kept across crashes")
                .statusCode())
        .isEqualTo(200);
    var conversation =
        api.send(
            "POST",
            "/api/projects/" + aliceProject + "/conversations",
            alice.accessToken(),
            Map.of("title", "kept"));
    assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(201);
    conversationId = Api.json(conversation).path("id").asString();
    var message =
        api.send(
            "POST",
            "/api/conversations/" + conversationId + "/messages",
            alice.accessToken(),
            Map.of("content", "hello"));
    assertThat(message.statusCode()).as(message.body()).isEqualTo(200);
    assertThat(messages()).isGreaterThanOrEqualTo(2);
    // The audit trail reaches Mongo through the Redis stream: wait until alice's events are stored.
    StackFaults.await(
        Duration.ofSeconds(30), "alice's audit events are stored", () -> auditOf(alice) >= 2);
    auditEventsOfAlice = auditOf(alice);
  }

  @ParameterizedTest
  @ValueSource(strings = {"project-service", "workspace-service", "claude-service", "api-gateway"})
  @Checklist({"B28"})
  void killedServiceComesBackWithEveryCommittedWrite(String name) throws Exception {
    ServiceProcess service = SystemStack.get().service(name);
    try (var load = load()) {
      awaitSomeCommits(load);
      service.kill();
      if (!name.equals("api-gateway")) {
        HttpResponse<String> down =
            StackFaults.timed(
                Duration.ofSeconds(3),
                name + " down",
                () -> api.get(route(name), alice.accessToken()));
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
          () -> StorageOutageIT.status(() -> api.get(route(name), alice.accessToken())) == 200);
      load.awaitCommitAfter(load.committedFiles.size());
      load.close();
      assertThat(load.otherServerErrors).as("5xx other than 503 under load").isEmpty();
      assertEverythingCommittedIsThere(load);
    }
  }

  @Test
  @Checklist({"B28"})
  void killedRedisComesBackByItselfWithEveryCommittedWrite() throws Exception {
    LocalStack stack = SystemStack.get();
    try (var load = load()) {
      awaitSomeCommits(load);
      ProcessHandle redis = stack.redis().serverProcess().orElseThrow();
      redis.destroyForcibly();
      StackFaults.await(Duration.ofSeconds(5), "redis-server dies", () -> !redis.isAlive());
      StackFaults.assertUnavailableProblem(
          api.get("/api/projects", alice.accessToken()), "project list, Redis down");
      StackFaults.await(
          Duration.ofSeconds(40),
          "the stack works again with no manual step",
          () -> StorageOutageIT.status(() -> api.get("/api/projects", alice.accessToken())) == 200);
      load.awaitCommitAfter(load.committedFiles.size());
      load.close();
      assertThat(load.otherServerErrors).as("5xx other than 503 under load").isEmpty();
      assertEverythingCommittedIsThere(load);
    }
  }

  @Test
  @Checklist({"B28"})
  void stoppedDatabaseComesBackWithEveryCommittedWrite() throws Exception {
    LocalStack stack = SystemStack.get();
    try (var load = load()) {
      awaitSomeCommits(load);
      stack.stopMongo();
      try {
        StackFaults.assertUnavailableProblem(
            StackFaults.timed(
                Duration.ofSeconds(5),
                "project list",
                () -> api.get("/api/projects", alice.accessToken())),
            "project list, database down");
        Thread.sleep(2000);
      } finally {
        stack.startMongo();
      }
      StackFaults.await(
          Duration.ofSeconds(40),
          "the stack works again with no manual step",
          () -> StorageOutageIT.status(() -> api.get("/api/projects", alice.accessToken())) == 200);
      load.awaitCommitAfter(load.committedFiles.size());
      load.close();
      assertThat(load.otherServerErrors).as("5xx other than 503 under load").isEmpty();
      assertEverythingCommittedIsThere(load);
    }
  }

  /** Some saves acknowledged just before the crash: exactly the writes a crash could lose. */
  private static void awaitSomeCommits(StackFaults.Load load) throws InterruptedException {
    StackFaults.await(
        Duration.ofSeconds(60), "the load saves files", () -> load.committedFiles.size() >= 2);
  }

  private StackFaults.Load load() {
    return new StackFaults.Load(api, List.of(alice, bob), List.of(aliceProject, bobProject), 2000);
  }

  private static String routeOf(String service) {
    return switch (service) {
      case "project-service" -> "/api/projects";
      case "workspace-service", "api-gateway" -> "/api/projects/%s/files?path=";
      case "claude-service" -> "/api/projects/%s/conversations";
      default -> throw new IllegalArgumentException(service);
    };
  }

  private String route(String service) {
    return routeOf(service).formatted(aliceProject);
  }

  private void assertEverythingCommittedIsThere(StackFaults.Load load) throws Exception {
    for (Api.Session user : List.of(alice, bob)) {
      var login =
          api.send(
              "POST", "/api/auth/login", null, Map.of("email", user.email(), "password", PASSWORD));
      assertThat(login.statusCode())
          .as("sign-in of " + user.email() + ": " + login.body())
          .isEqualTo(200);
    }
    String aliceList = api.get("/api/projects", alice.accessToken()).body();
    assertThat(aliceList).contains(aliceProject);
    String bobList = api.get("/api/projects", bob.accessToken()).body();
    assertThat(bobList)
        .as("bob's own project and the one he is a member of")
        .contains(bobProject)
        .contains(aliceProject);
    assertThat(StackFaults.readFile(api, bob.accessToken(), aliceProject, "notes/kept.txt"))
        .isEqualTo("kept across crashes");
    assertThat(messages()).isGreaterThanOrEqualTo(2);
    assertThat(auditOf(alice)).isGreaterThanOrEqualTo(auditEventsOfAlice);
    assertThat(load.committedFiles).as("writes acknowledged under load").isNotEmpty();
    for (String[] file : List.copyOf(load.committedFiles)) {
      assertThat(StackFaults.readFile(api, file[3], file[0], file[1]))
          .as(file[1])
          .isEqualTo(file[2]);
    }
  }

  private int messages() throws Exception {
    var conversation = api.get("/api/conversations/" + conversationId, alice.accessToken());
    assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(200);
    return Api.json(conversation).path("messages").size();
  }

  private static long auditOf(Api.Session user) {
    try (MongoClient mongo = MongoClients.create(SystemStack.get().mongoUri())) {
      return mongo
          .getDatabase("constellation_projects")
          .getCollection("audit")
          .countDocuments(new Document("actorId", user.userId()));
    } catch (RuntimeException notYet) {
      return -1;
    }
  }
}
