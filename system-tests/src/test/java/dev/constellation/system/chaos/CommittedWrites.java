package dev.constellation.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Writes acknowledged before a fault, of every kind the issue names — two users, a project each, a
 * membership, a file, a conversation with its messages and audit events — and the check that each
 * is still there afterwards, with the files the load saved meanwhile.
 */
final class CommittedWrites {
  static final String PASSWORD = "correct horse battery staple";

  final Api api;
  final Api.Session alice;
  final Api.Session bob;
  final String aliceProject;
  final String bobProject;
  private final String conversationId;
  private final long auditEventsOfAlice;

  private CommittedWrites(
      Api api,
      Api.Session alice,
      Api.Session bob,
      String aliceProject,
      String bobProject,
      String conversationId,
      long auditEventsOfAlice) {
    this.api = api;
    this.alice = alice;
    this.bob = bob;
    this.aliceProject = aliceProject;
    this.bobProject = bobProject;
    this.conversationId = conversationId;
    this.auditEventsOfAlice = auditEventsOfAlice;
  }

  /** Makes every kind of write under accounts named after {@code prefix}. */
  static CommittedWrites make(String prefix) throws Exception {
    Api api = new Api(SystemStack.gatewayUrl());
    Api.Session alice = api.register(prefix + "-alice");
    Api.Session bob = api.register(prefix + "-bob");
    String aliceProject = createProject(api, alice);
    String bobProject = createProject(api, bob);
    var member =
        api.send(
            "PUT",
            "/api/projects/" + aliceProject + "/members/" + bob.userId(),
            alice.accessToken(),
            Map.of("role", "EDITOR"));
    assertThat(member.statusCode()).as(member.body()).isEqualTo(200);
    assertThat(
            StackFaults.putFile(api, alice, aliceProject, "notes/kept.txt", "kept across faults")
                .statusCode())
        .isEqualTo(200);
    // The set-up starts from a working stack: right after an earlier fault claude-service may
    // still refuse a new conversation (503) for a moment after its reads work again, so the
    // set-up waits for it, bounded; the fault tests themselves hold recovery to its limits.
    var conversation = createConversation(api, alice, aliceProject);
    long setUpEnds = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (conversation.statusCode() == 503 && System.nanoTime() < setUpEnds) {
      Thread.sleep(500);
      conversation = createConversation(api, alice, aliceProject);
    }
    assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(201);
    String conversationId = Api.json(conversation).path("id").asString();
    var message =
        api.send(
            "POST",
            "/api/conversations/" + conversationId + "/messages",
            alice.accessToken(),
            Map.of("content", "hello"));
    assertThat(message.statusCode()).as(message.body()).isEqualTo(200);
    // The audit trail reaches the database through the Redis stream: wait until it is stored.
    StackFaults.await(
        Duration.ofSeconds(30), "alice's audit events are stored", () -> auditOf(alice) >= 2);
    CommittedWrites writes =
        new CommittedWrites(
            api, alice, bob, aliceProject, bobProject, conversationId, auditOf(alice));
    assertThat(writes.messages()).isGreaterThanOrEqualTo(2);
    return writes;
  }

  private static java.net.http.HttpResponse<String> createConversation(
      Api api, Api.Session owner, String project) throws Exception {
    return api.send(
        "POST",
        "/api/projects/" + project + "/conversations",
        owner.accessToken(),
        Map.of("title", "kept"));
  }

  /** Alice and bob working on their projects: listing and saving until stopped. */
  StackFaults.Load load() {
    return new StackFaults.Load(api, List.of(alice, bob), List.of(aliceProject, bobProject), 2000);
  }

  /** Some saves acknowledged just before the fault: exactly the writes a crash could lose. */
  static void awaitSomeCommits(StackFaults.Load load) throws InterruptedException {
    StackFaults.await(
        Duration.ofSeconds(60), "the load saves files", () -> load.committedFiles.size() >= 2);
  }

  /**
   * After a fault: the load saves once more, stops, met no 5xx other than 503, and every write made
   * before the fault or acknowledged under it is there.
   */
  void assertNothingLostUnder(StackFaults.Load load) throws Exception {
    load.awaitCommitAfter(load.committedFiles.size());
    load.close();
    assertThat(load.otherServerErrors).as("5xx other than 503 under load").isEmpty();
    assertAllThere(load);
  }

  /** Everything written before the fault, and every save the load was told succeeded. */
  void assertAllThere(StackFaults.Load load) throws Exception {
    for (Api.Session user : List.of(alice, bob)) {
      var login =
          api.send(
              "POST", "/api/auth/login", null, Map.of("email", user.email(), "password", PASSWORD));
      assertThat(login.statusCode())
          .as("sign-in of " + user.email() + ": " + login.body())
          .isEqualTo(200);
    }
    assertThat(api.get("/api/projects", alice.accessToken()).body()).contains(aliceProject);
    assertThat(api.get("/api/projects", bob.accessToken()).body())
        .as("bob's own project and the one he is a member of")
        .contains(bobProject)
        .contains(aliceProject);
    assertThat(StackFaults.readFile(api, bob.accessToken(), aliceProject, "notes/kept.txt"))
        .isEqualTo("kept across faults");
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

  static long auditOf(Api.Session user) {
    return auditOf(user.userId());
  }

  /** How many audit events of {@code actorId} are stored; -1 while the database is away. */
  static long auditOf(String actorId) {
    try (MongoClient mongo = MongoClients.create(SystemStack.get().mongoUri())) {
      return mongo
          .getDatabase("constellation_projects")
          .getCollection("audit")
          .countDocuments(new Document("actorId", actorId));
    } catch (RuntimeException notYet) {
      return -1;
    }
  }

  static String createProject(Api api, Api.Session owner) throws Exception {
    var created =
        api.send(
            "POST",
            "/api/projects",
            owner.accessToken(),
            Map.of("name", "Fault " + owner.userId().substring(0, 6), "templateId", "blank"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Api.json(created).path("id").asString();
  }

  /**
   * True once every service the checks read from answers again: the project list (project-service),
   * the conversation (claude-service) and a file (workspace-service). Each service's database
   * driver finds a restarted server on its own schedule, so one service answering says nothing
   * about the others.
   */
  boolean everyServiceAnswers() {
    return status(() -> api.get("/api/projects", alice.accessToken())) == 200
        && status(() -> api.get("/api/conversations/" + conversationId, alice.accessToken())) == 200
        && status(
                () ->
                    api.get("/api/projects/" + aliceProject + "/files?path=", alice.accessToken()))
            == 200;
  }

  /** The status of a request, -1 when it could not be made (the gateway is down). */
  static int status(StackFaults.Request request) {
    try {
      return request.send().statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
