package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Identity is the verified token only: a header naming someone else changes nothing anywhere. */
class IdentityHeadersIT {
  private static EdgeHttp gateway;
  private static Api.Session alice;
  private static Api.Session bob;
  private static String bobsProject;

  @BeforeAll
  static void twoUsers() throws Exception {
    gateway = EdgeHttp.freshClient();
    // Locally the first account of an installation is its admin: make sure that is not Alice.
    gateway.signUp("someone-first");
    alice = gateway.signUp("alice");
    bob = gateway.signUp("bob");
    var created =
        gateway.post(
            "/api/projects", bob.accessToken(), "{\"name\":\"bobs\",\"templateId\":\"blank\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    bobsProject = created.json().path("id").asString();
  }

  private static Map<String, String> impersonating(Api.Session who) {
    return Map.of(
        "X-User-Id",
        who.userId(),
        "X-User-Email",
        who.email(),
        "X-User-Roles",
        "ADMIN,USER",
        "X-Forwarded-User",
        who.userId(),
        "X-Forwarded-For",
        "127.0.0.1",
        "Forwarded",
        "for=127.0.0.1;by=gateway");
  }

  @Test
  @Checklist({"B11"})
  void theGatewayIgnoresClientSentIdentityHeaders() throws Exception {
    // No token, Bob's id in every header: 401.
    assertThat(gateway.send("GET", "/api/projects", null, null, impersonating(bob)).status())
        .isEqualTo(401);
    // Alice's token and Bob's id: Alice's view — Bob's project is neither listed nor readable.
    var list = gateway.send("GET", "/api/projects", alice.accessToken(), null, impersonating(bob));
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(bobsProject);
    var read =
        gateway.send(
            "GET", "/api/projects/" + bobsProject, alice.accessToken(), null, impersonating(bob));
    assertThat(read.status()).isIn(403, 404);
    var files =
        gateway.send(
            "GET",
            "/api/projects/" + bobsProject + "/files",
            alice.accessToken(),
            null,
            impersonating(bob));
    assertThat(files.status()).isIn(403, 404);
    // Nor do they make anyone an admin.
    var admin =
        gateway.send("GET", "/api/admin/users", alice.accessToken(), null, impersonating(bob));
    assertThat(admin.status()).isEqualTo(403);
  }

  @Test
  @Checklist({"B11"})
  void aServiceReachedDirectlyBelievesNoIdentityHeader() throws Exception {
    Map<String, String> paths =
        Map.of(
            "project-service", "/api/projects/" + bobsProject,
            "workspace-service", "/api/projects/" + bobsProject + "/files",
            "claude-service", "/api/projects/" + bobsProject + "/conversations");
    for (var entry : paths.entrySet()) {
      EdgeHttp direct = EdgeHttp.at(SystemStack.serviceUrl(entry.getKey()));
      var anonymous = direct.send("GET", entry.getValue(), null, null, impersonating(bob));
      assertThat(anonymous.status())
          .as(entry.getKey() + " with X-User-Id and no token")
          .isEqualTo(401);
      var asAlice =
          direct.send("GET", entry.getValue(), alice.accessToken(), null, impersonating(bob));
      assertThat(asAlice.status())
          .as(entry.getKey() + " with Alice's token and Bob's headers")
          .isIn(403, 404);
    }
    var list =
        EdgeHttp.at(SystemStack.serviceUrl("project-service"))
            .send("GET", "/api/projects", alice.accessToken(), null, impersonating(bob));
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(bobsProject);
  }
}
