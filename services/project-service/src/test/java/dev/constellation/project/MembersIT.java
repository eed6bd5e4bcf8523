package dev.constellation.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.access.AccessChannels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import tools.jackson.databind.JsonNode;

class MembersIT extends IntegrationTest {
  @Autowired RedisConnectionFactory redis;

  private RedisMessageListenerContainer listener;
  private final BlockingQueue<String> announced = new LinkedBlockingQueue<>();

  @BeforeEach
  void listenForAccessChanges() throws Exception {
    listener = new RedisMessageListenerContainer();
    listener.setConnectionFactory(redis);
    listener.addMessageListener(
        (message, pattern) -> announced.add(new String(message.getBody())),
        new ChannelTopic(AccessChannels.ACCESS_CHANGED));
    listener.afterPropertiesSet();
    listener.start();
    await("subscribed", listener::isListening);
  }

  @AfterEach
  void stopListening() throws Exception {
    listener.destroy();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ADMIN", "viewer", "", "OWNERS"})
  void refusesAnUnknownRoleNamingTheField(String role) {
    String owner = Api.token(Api.newUserId());
    String id = createProject(owner, "Bad role", "blank").get("id").asString();
    var response = api.put("/api/projects/" + id + "/members/someone", owner, Map.of("role", role));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("field").asString()).isEqualTo("role");
    assertThat(api.get("/api/projects/" + id, owner).json().get("members")).hasSize(1);
  }

  @Test
  void refusesAMissingRole() {
    String owner = Api.token(Api.newUserId());
    String id = createProject(owner, "No role", "blank").get("id").asString();
    assertThat(api.put("/api/projects/" + id + "/members/someone", owner, Map.of()).status())
        .isEqualTo(400);
  }

  @Test
  void addingChangingAndRemovingAMemberIsAnnounced() throws InterruptedException {
    String owner = Api.token(Api.newUserId());
    String id = createProject(owner, "Members", "blank").get("id").asString();
    String friend = Api.newUserId();

    var added =
        api.put("/api/projects/" + id + "/members/" + friend, owner, Map.of("role", "VIEWER"));
    assertThat(added.status()).isEqualTo(200);
    assertThat(roleIn(added.json(), friend)).isEqualTo("VIEWER");
    assertThat(announced.poll(5, TimeUnit.SECONDS)).isEqualTo(id);

    setMember(owner, id, friend, "EDITOR");
    assertThat(
            api.get("/api/projects/" + id + "/access", Api.token(friend))
                .json()
                .get("role")
                .asString())
        .isEqualTo("EDITOR");
    assertThat(announced.poll(5, TimeUnit.SECONDS)).isEqualTo(id);

    assertThat(api.delete("/api/projects/" + id + "/members/" + friend, owner).status())
        .isEqualTo(204);
    assertThat(announced.poll(5, TimeUnit.SECONDS)).isEqualTo(id);
    assertThat(api.get("/api/projects/" + id, Api.token(friend)).status()).isEqualTo(404);
    assertThat(api.delete("/api/projects/" + id + "/members/" + friend, owner).status())
        .isEqualTo(404);
  }

  @Test
  void theLastOwnerCanNeitherBeRemovedNorDemoted() {
    String ownerId = Api.newUserId();
    String owner = Api.token(ownerId);
    String id = createProject(owner, "Last owner", "blank").get("id").asString();

    var removed = api.delete("/api/projects/" + id + "/members/" + ownerId, owner);
    assertThat(removed.status()).isEqualTo(409);
    assertThat(removed.json().get("type").asString()).endsWith("/last-owner");
    assertThat(
            api.put("/api/projects/" + id + "/members/" + ownerId, owner, Map.of("role", "EDITOR"))
                .status())
        .isEqualTo(409);
    assertThat(api.get("/api/projects/" + id + "/access", owner).json().get("role").asString())
        .isEqualTo("OWNER");
  }

  @Test
  void anOwnerMayStepDownOnceAnotherOwnerExists() {
    String firstId = Api.newUserId();
    String first = Api.token(firstId);
    String secondId = Api.newUserId();
    String id = createProject(first, "Hand over", "blank").get("id").asString();
    setMember(first, id, secondId, "OWNER");

    var demoted =
        api.put("/api/projects/" + id + "/members/" + firstId, first, Map.of("role", "VIEWER"));
    assertThat(demoted.status()).isEqualTo(200);
    assertThat(demoted.json().get("ownerId").asString()).isEqualTo(secondId);
    assertThat(roleIn(demoted.json(), firstId)).isEqualTo("VIEWER");
    // The new sole owner is now protected in turn.
    assertThat(
            api.delete("/api/projects/" + id + "/members/" + secondId, Api.token(secondId))
                .status())
        .isEqualTo(409);
  }

  private static String roleIn(JsonNode project, String userId) {
    for (JsonNode m : project.get("members")) {
      if (m.get("userId").asString().equals(userId)) return m.get("role").asString();
    }
    return null;
  }

  static List<String> drain(BlockingQueue<String> q) {
    List<String> all = new java.util.ArrayList<>();
    q.drainTo(all);
    return all;
  }
}
