package dev.constellation.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.audit.AuditPublisher;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

class AuditIT extends IntegrationTest {
  @Autowired StringRedisTemplate redis;

  private final String admin = Api.token(Api.newUserId(), "USER", "ADMIN");

  @Test
  void onlyAdminsReadTheAuditLog() {
    assertThat(api.get("/api/admin/audit", Api.token(Api.newUserId())).status()).isEqualTo(403);
    assertThat(api.get("/api/admin/audit", null).status()).isEqualTo(401);
    assertThat(api.get("/api/admin/audit", admin).status()).isEqualTo(200);
  }

  @Test
  void projectAndMembershipChangesAreRecordedWithTheirRequestIds() {
    String actor = Api.newUserId();
    String token = Api.token(actor);
    String requestId = "req-" + UUID.randomUUID();
    var created =
        api.send(
            api.request("/api/projects")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId)
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"Audited\",\"templateId\":\"blank\"}"))
                .build());
    assertThat(created.headers().firstValue("X-Request-Id")).hasValue(requestId);
    String id = created.json().get("id").asString();
    setMember(token, id, "friend", "EDITOR");
    assertThat(api.delete("/api/projects/" + id + "/members/friend", token).status())
        .isEqualTo(204);
    assertThat(api.importZip(token, Zips.ofText("a.txt", "a"), "Imported").status()).isEqualTo(201);
    assertThat(api.delete("/api/projects/" + id, token).status()).isEqualTo(204);

    await("five events stored", () -> events("actorId=" + actor).get("total").asLong() == 5);
    JsonNode items = events("actorId=" + actor).get("items");
    assertThat(items.findValuesAsString("action"))
        .containsExactly(
            "project.delete", "project.import", "member.remove", "member.set", "project.create");
    JsonNode create = items.get(4);
    assertThat(create.get("requestId").asString()).isEqualTo(requestId);
    assertThat(create.get("projectId").asString()).isEqualTo(id);
    assertThat(create.get("service").asString()).isEqualTo("project-service");
    assertThat(create.get("details").get("templateId").asString()).isEqualTo("blank");
    assertThat(items.get(3).get("details").get("role").asString()).isEqualTo("EDITOR");

    assertThat(events("projectId=" + id + "&action=member.set").get("total").asLong()).isEqualTo(1);
    JsonNode paged = events("actorId=" + actor + "&page=1&size=2");
    assertThat(paged.get("items").findValuesAsString("action"))
        .containsExactly("member.remove", "member.set");
  }

  @Test
  void eventsFromOtherServicesAreStoredAndFilteredByTime() {
    String actor = Api.newUserId();
    var otherService = new AuditPublisher(redis, "workspace-service", Clock.systemUTC(), 1000);
    otherService.publish("terminal.open", actor, "p-1", Map.of("cols", "80"));
    await("the event is stored", () -> events("actorId=" + actor).get("total").asLong() == 1);
    JsonNode event = events("actorId=" + actor).get("items").get(0);
    assertThat(event.get("service").asString()).isEqualTo("workspace-service");
    assertThat(event.get("action").asString()).isEqualTo("terminal.open");
    assertThat(event.get("details").get("cols").asString()).isEqualTo("80");

    Instant time = Instant.parse(event.get("time").asString());
    assertThat(events("actorId=" + actor + "&from=" + enc(time)).get("total").asLong())
        .isEqualTo(1);
    assertThat(
            events("actorId=" + actor + "&from=" + enc(time.plusSeconds(1))).get("total").asLong())
        .isZero();
    assertThat(events("actorId=" + actor + "&to=" + enc(time)).get("total").asLong()).isZero();
    assertThat(api.get("/api/admin/audit?from=yesterday", admin).json().get("title").asString())
        .contains("from");
  }

  @Test
  void eventsTakenByAConsumerThatDiedAreTakenOverAndStoredOnce() {
    String actor = Api.newUserId();
    // A replica reads three events and dies before acknowledging them: add and read in one script,
    // so that this service's own consumer cannot read them first.
    String script =
        """
        for i = 1, 3 do
          redis.call('XADD', KEYS[1], '*', 'time', ARGV[3], 'service', 'workspace-service',
            'action', 'terminal.open', 'actorId', ARGV[2], 'd.n', tostring(i))
        end
        local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], 'dead-replica', 'COUNT', 1000,
          'STREAMS', KEYS[1], '>')
        return #read[1][2]
        """;
    Long taken =
        redis.execute(
            new org.springframework.data.redis.core.script.DefaultRedisScript<>(script, Long.class),
            java.util.List.of(dev.constellation.common.audit.AuditEvent.STREAM),
            "project-service",
            actor,
            Instant.now().toString());
    assertThat(taken).isGreaterThanOrEqualTo(3);
    assertThat(deadReplicaPending()).isGreaterThanOrEqualTo(3);

    await(
        "the dead replica's events are stored",
        () -> events("actorId=" + actor).get("total").asLong() == 3);
    await("and no longer pending", () -> deadReplicaPending() == 0);
    assertThat(events("actorId=" + actor).get("items").findValuesAsString("action"))
        .containsOnly("terminal.open");
    // Taken over again later (another round of the reclaimer): still stored once each.
    try {
      Thread.sleep(800);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(events("actorId=" + actor).get("total").asLong()).isEqualTo(3);
    assertThat(events("actorId=" + actor).get("items").findValuesAsString("n"))
        .containsExactlyInAnyOrder("1", "2", "3");
  }

  private long deadReplicaPending() {
    var pending =
        redis
            .opsForStream()
            .pending(dev.constellation.common.audit.AuditEvent.STREAM, "project-service");
    Long count = pending.getPendingMessagesPerConsumer().get("dead-replica");
    return count == null ? 0 : count;
  }

  private JsonNode events(String query) {
    var response = api.get("/api/admin/audit?" + query, admin);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private static String enc(Instant t) {
    return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
  }
}
