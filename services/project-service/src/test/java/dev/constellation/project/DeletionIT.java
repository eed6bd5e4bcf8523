package dev.constellation.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;

class DeletionIT extends IntegrationTest {
  @Autowired MongoTemplate mongo;

  @Test
  void deleteRemovesMetadataAtOnceAndEverythingElseSoonAfter() {
    String owner = Api.token(Api.newUserId());
    String id = createProject(owner, "Doomed", "node").get("id").asString();
    Path dir = WORKSPACES.resolve(id);
    assertThat(dir).isDirectory();

    assertThat(api.delete("/api/projects/" + id, owner).status()).isEqualTo(204);
    assertThat(api.get("/api/projects/" + id, owner).status()).isEqualTo(404);
    assertThat(exists("projects", id)).isFalse();

    await("the deletion completes", () -> !exists("deletions", id));
    assertThat(dir).doesNotExist();
    var calls = DOWNSTREAM.callsFor(id);
    assertThat(calls)
        .extracting(FakeDownstream.Call::service)
        .containsExactly("workspace", "claude");
    assertThat(calls)
        .allSatisfy(
            c -> {
              assertThat(c.status()).isEqualTo(204);
              assertThat(c.caller().id()).isEqualTo("service:project-service");
            });
    assertThat(api.delete("/api/projects/" + id, owner).status()).isEqualTo(404);
  }

  @Test
  void aDownstreamServiceThatIsBrieflyDownIsRetriedUntilDone() {
    String owner = Api.token(Api.newUserId());
    String id = createProject(owner, "Retry", "blank").get("id").asString();
    DOWNSTREAM.failNext("claude", id, Integer.MAX_VALUE);

    assertThat(api.delete("/api/projects/" + id, owner).status()).isEqualTo(204);
    await(
        "two failed attempts are recorded",
        () -> {
          Document pending = mongo.getCollection("deletions").find(new Document("_id", id)).first();
          return pending != null && pending.getInteger("attempts") >= 2;
        });
    Document pending = mongo.getCollection("deletions").find(new Document("_id", id)).first();
    assertThat(pending.getBoolean("workspaceDone")).isTrue();
    assertThat(pending.getBoolean("conversationsDone")).isFalse();
    assertThat(pending.getString("lastError")).contains("503");
    // Until every service let go, the files stay, so the record still describes everything left to
    // remove.
    assertThat(WORKSPACES.resolve(id)).isDirectory();
    assertThat(api.get("/api/projects/" + id, owner).status()).isEqualTo(404);

    DOWNSTREAM.failNext("claude", id, 0);
    await("the deletion completes", () -> !exists("deletions", id));
    assertThat(WORKSPACES.resolve(id)).doesNotExist();
    var claudeStatuses =
        DOWNSTREAM.callsFor(id).stream()
            .filter(c -> c.service().equals("claude"))
            .map(FakeDownstream.Call::status)
            .toList();
    assertThat(claudeStatuses.size()).isGreaterThanOrEqualTo(3);
    assertThat(claudeStatuses.subList(0, claudeStatuses.size() - 1)).containsOnly(503);
    assertThat(claudeStatuses.get(claudeStatuses.size() - 1)).isEqualTo(204);
    assertThat(DOWNSTREAM.callsFor(id).stream().filter(c -> c.service().equals("workspace")))
        .hasSize(1);
  }

  // Raw driver calls: a Query without an entity type would turn a 24-hex id into an ObjectId and
  // match nothing.
  private boolean exists(String collection, String id) {
    return mongo.getCollection(collection).countDocuments(new Document("_id", id)) > 0;
  }
}
