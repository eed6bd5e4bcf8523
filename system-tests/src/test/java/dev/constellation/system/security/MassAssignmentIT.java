package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Fields a client must not set — role, roles, admin, ownerId, id — are ignored or refused, and
 * nothing changes.
 */
class MassAssignmentIT {
  private static EdgeHttp client;
  private static Api.Session owner;
  private static Api.Session other;

  @BeforeAll
  static void users() throws Exception {
    client = EdgeHttp.freshClient();
    // Locally the first account of an installation is its admin: make sure that is not ours.
    client.signUp("someone-first");
    owner = client.signUp("owner");
    other = client.signUp("other");
  }

  @Test
  @Checklist({"B9"})
  void registrationIgnoresRolesAdminAndId() throws Exception {
    String email = "eve-" + UUID.randomUUID() + "@example.test";
    var registered =
        client.post(
            "/api/auth/register",
            null,
            "{\"email\":\""
                + email
                + "\",\"password\":\"correct horse battery staple\","
                + "\"displayName\":\"Eve\",\"role\":\"ADMIN\",\"roles\":[\"ADMIN\",\"USER\"],\"admin\":true,\"id\":\""
                + owner.userId()
                + "\","
                + "\"disabled\":false,\"ownerId\":\"x\"}");
    assertThat(registered.status()).isIn(202, 400);
    if (registered.status() == 202) {
      var login =
          client.post(
              "/api/auth/login", null, SignUpIT.login(email, "correct horse battery staple"));
      String token = login.json().path("accessToken").asString();
      JsonNode me = client.get("/api/auth/me", token).json();
      assertThat(me.path("roles").toString()).isEqualTo("[\"USER\"]");
      assertThat(me.path("id").asString()).isNotEqualTo(owner.userId());
      assertThat(client.get("/api/admin/users", token).status()).isEqualTo(403);
    }
    // The owner's account was not overwritten by the id in the body.
    assertThat(client.get("/api/auth/me", owner.accessToken()).json().path("email").asString())
        .isEqualTo(owner.email());
  }

  @Test
  @Checklist({"B9"})
  void aUserCannotGiveThemselvesRolesThroughTheAdminEndpoint() throws Exception {
    var patch =
        client.send(
            "PATCH",
            "/api/admin/users/" + other.userId(),
            other.accessToken(),
            "{\"roles\":[\"ADMIN\",\"USER\"],\"admin\":true}",
            java.util.Map.of());
    assertThat(patch.status()).isEqualTo(403);
    assertThat(client.get("/api/auth/me", other.accessToken()).json().path("roles").toString())
        .isEqualTo("[\"USER\"]");
  }

  @Test
  @Checklist({"B9"})
  void projectCreateIgnoresOwnerIdAndId() throws Exception {
    String chosen = "chosen-" + UUID.randomUUID().toString().substring(0, 8);
    var created =
        client.post(
            "/api/projects",
            owner.accessToken(),
            "{\"name\":\"mass-create\",\"templateId\":\"blank\","
                + "\"ownerId\":\""
                + other.userId()
                + "\",\"id\":\""
                + chosen
                + "\",\"role\":\"OWNER\","
                + "\"members\":[{\"userId\":\""
                + other.userId()
                + "\",\"role\":\"OWNER\"}]}");
    assertThat(created.status()).isIn(201, 400);
    if (created.status() == 201) {
      JsonNode project = created.json();
      assertThat(project.path("id").asString()).isNotEqualTo(chosen);
      assertThat(project.path("ownerId").asString()).isEqualTo(owner.userId());
      assertThat(project.path("members").toString()).doesNotContain(other.userId());
      assertThat(
              client
                  .get("/api/projects/" + project.path("id").asString(), other.accessToken())
                  .status())
          .isIn(403, 404);
    }
    assertThat(client.get("/api/projects/" + chosen, other.accessToken()).status()).isIn(403, 404);
    assertThat(client.get("/api/projects", other.accessToken()).body())
        .doesNotContain("mass-create");
  }

  @Test
  @Checklist({"B9"})
  void projectUpdateAndMemberSetIgnoreOwnershipFields() throws Exception {
    var created =
        client.post(
            "/api/projects",
            owner.accessToken(),
            "{\"name\":\"mass-update\",\"templateId\":\"blank\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().path("id").asString();
    var member =
        client.send(
            "PUT",
            "/api/projects/" + id + "/members/" + other.userId(),
            owner.accessToken(),
            "{\"role\":\"EDITOR\"}",
            java.util.Map.of());
    assertThat(member.status()).as(member.body()).isEqualTo(200);

    // The editor tries to take the project over through the update body.
    var update =
        client.send(
            "PATCH",
            "/api/projects/" + id,
            other.accessToken(),
            "{\"name\":\"renamed\",\"ownerId\":\""
                + other.userId()
                + "\",\"id\":\"hijacked\",\"role\":\"OWNER\",\"members\":[{\"userId\":\""
                + other.userId()
                + "\",\"role\":\"OWNER\"}]}",
            java.util.Map.of());
    assertThat(update.status()).isIn(200, 400, 403);

    // The member endpoint: extra fields that would promote or re-own are ignored.
    var setAgain =
        client.send(
            "PUT",
            "/api/projects/" + id + "/members/" + other.userId(),
            other.accessToken(),
            "{\"role\":\"EDITOR\",\"admin\":true,\"ownerId\":\""
                + other.userId()
                + "\",\"roles\":[\"OWNER\"]}",
            java.util.Map.of());
    assertThat(setAgain.status()).isIn(400, 403, 404);

    JsonNode stored = client.get("/api/projects/" + id, owner.accessToken()).json();
    assertThat(stored.path("id").asString()).isEqualTo(id);
    assertThat(stored.path("ownerId").asString()).isEqualTo(owner.userId());
    assertThat(stored.path("members").toString()).contains(other.userId());
    for (JsonNode m : stored.path("members")) {
      if (m.path("userId").asString().equals(other.userId()))
        assertThat(m.path("role").asString()).isEqualTo("EDITOR");
    }
    // The editor still cannot do what only an owner can.
    assertThat(
            client
                .send(
                    "DELETE", "/api/projects/" + id, other.accessToken(), null, java.util.Map.of())
                .status())
        .isIn(403, 404);
  }
}
