package dev.constellation.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.constellation.localstack.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Deleting a project removes everything it owned, even when a service is down at that moment. */
class ProjectDeletionIT {

  @Test
  void deleteLeavesNothingBehindEvenWhenClaudeServiceIsBrieflyDown() throws Exception {
    Api api = new Api(SystemStack.gatewayUrl());
    Api.Session owner = api.register("deleter");
    var created =
        api.send(
            "POST",
            "/api/projects",
            owner.accessToken(),
            Map.of("name", "Doomed", "templateId", "python"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String projectId = Api.json(created).path("id").asString();
    Path directory = SystemStack.get().dataDir().resolve("workspaces").resolve(projectId);
    assertThat(directory).isDirectory();

    var conversation =
        api.send(
            "POST",
            "/api/projects/" + projectId + "/conversations",
            owner.accessToken(),
            Map.of("title", "soon gone"));
    assertThat(conversation.statusCode()).isEqualTo(201);
    var checkpoint =
        api.send(
            "POST",
            "/api/projects/" + projectId + "/checkpoints",
            owner.accessToken(),
            Map.of("label", "soon gone"));
    assertThat(checkpoint.statusCode()).as(checkpoint.body()).isEqualTo(201);
    Path checkpoints =
        SystemStack.get().dataDir().resolve("workspaces/.checkpoints").resolve(projectId + ".git");
    assertThat(checkpoints).isDirectory();
    boolean docker = Docker.available();
    if (docker) {
      var exec =
          api.send(
              "POST",
              "/api/projects/" + projectId + "/exec",
              owner.accessToken(),
              Map.of("command", "touch made-inside"));
      assertThat(exec.statusCode()).as(exec.body()).isEqualTo(200);
      assertThat(Docker.containersOf(projectId)).isNotEmpty();
    }

    ServiceProcess claude = SystemStack.get().service("claude-service");
    claude.kill();
    try {
      assertThat(
              api.send("DELETE", "/api/projects/" + projectId, owner.accessToken(), null)
                  .statusCode())
          .isEqualTo(204);
      assertThat(api.get("/api/projects/" + projectId, owner.accessToken()).statusCode())
          .isEqualTo(404);
    } finally {
      claude.start();
      claude.awaitReady(Duration.ofSeconds(120));
    }

    try (MongoClient mongo = MongoClients.create(SystemStack.get().mongoUri())) {
      awaitTrue(
          Duration.ofSeconds(60),
          () ->
              !Files.exists(directory)
                  && !Files.exists(checkpoints)
                  && mentions(mongo.getDatabase("constellation_chat"), projectId) == 0
                  && mentions(mongo.getDatabase("constellation_workspaces"), projectId) == 0
                  && mentions(mongo.getDatabase("constellation_projects"), projectId) == 0
                  && (!docker || Docker.containersOf(projectId).isEmpty()));
    }
  }

  /** Documents naming the project in any collection but the audit trail, which must remember it. */
  private static long mentions(MongoDatabase database, String projectId) {
    long count = 0;
    for (String collection : database.listCollectionNames()) {
      if (collection.equals("audit")) continue;
      var documents = database.getCollection(collection);
      count += documents.countDocuments(new Document("projectId", projectId));
      count += documents.countDocuments(new Document("_id", projectId));
      count += documents.countDocuments(new Document("id", projectId));
    }
    return count;
  }

  private static void awaitTrue(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime())
          .as("cleanup did not finish within " + timeout)
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }
}
