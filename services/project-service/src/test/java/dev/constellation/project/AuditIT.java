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

  private JsonNode events(String query) {
    var response = api.get("/api/admin/audit?" + query, admin);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private static String enc(Instant t) {
    return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
  }
}
