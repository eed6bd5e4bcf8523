package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.TestInfrastructure;
import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Attacks on port previews (checklist B24, B33, B34): strangers, missing, foreign, forged and
 * expired cookies, the IDE's origin, redirects towards internal addresses, ports nothing listens
 * on, foreign WebSocket origins, and share links used for writes or after revocation.
 */
class PreviewAttacksIT {
  private static Workspaces.Project project;
  private static Workspaces.Project other;
  private static String cookie;

  @BeforeAll
  static void twoProjectsWithServers() throws Exception {
    Workspaces.requireDocker();
    project = Workspaces.newProject("attacked").start();
    PreviewHttp.startServer(project, 3000);
    // The same owner's second project: its cookie must not open the first one's preview.
    other = Workspaces.newProject(project.api(), project.owner(), "other").start();
    PreviewHttp.startServer(other, 3000);
    PreviewHttp.waitListed(project, 3000, 10_000);
    PreviewHttp.waitListed(other, 3000, 10_000);
    cookie =
        PreviewHttp.memberCookie(project.api(), project.id(), 3000, project.owner().accessToken());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (project != null) project.delete();
    if (other != null) other.delete();
  }

  private static URI app(String path) {
    return PreviewHttp.previewUrl(project.id(), 3000, path);
  }

  @Test
  @Checklist({"B24", "B8"})
  void strangerGetsNoSessionAndNoPorts() throws Exception {
    Api.Session stranger = project.api().register("stranger");
    HttpResponse<String> session =
        PreviewHttp.session(project.api(), project.id(), 3000, stranger.accessToken());
    assertThat(session.statusCode()).as(session.body()).isEqualTo(404);
    assertThat(
            project
                .api()
                .get("/api/projects/" + project.id() + "/ports", stranger.accessToken())
                .statusCode())
        .isEqualTo(404);
    // The stranger's own session for their own project opens nothing of this one.
    Workspaces.Project own = Workspaces.newProject(project.api(), stranger, "own");
    try {
      String strangerCookie =
          PreviewHttp.memberCookie(project.api(), own.id(), 3000, stranger.accessToken());
      assertThat(PreviewHttp.get(app("/"), strangerCookie).status()).isEqualTo(401);
    } finally {
      own.delete();
    }
  }

  @Test
  @Checklist("B24")
  void withoutACookieThePreviewIsRefusedWithAHintForBrowsers() throws Exception {
    var response = PreviewHttp.send("GET", app("/"), Map.of("Accept", "text/html"), null);
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body()).contains("open it from the project").doesNotContain("preview-app");
    // The IDE's bearer token is no credential on the preview origin.
    var bearer =
        PreviewHttp.send(
            "GET",
            app("/"),
            Map.of("Authorization", "Bearer " + project.owner().accessToken()),
            null);
    assertThat(bearer.status()).isEqualTo(401);
    assertThat(
            PreviewHttp.websocketEcho(
                app("/hmr"), Map.of("Origin", PreviewHttp.previewOrigin(project.id(), 3000)), "x"))
        .isEqualTo("HTTP 401");
  }

  @Test
  @Checklist("B33")
  void aCookieOpensOnlyItsOwnProjectAndPort() throws Exception {
    // Same owner, other project (where port 3000 listens too) and other port of the same project.
    assertThat(PreviewHttp.get(PreviewHttp.previewUrl(other.id(), 3000, "/"), cookie).status())
        .isEqualTo(401);
    assertThat(PreviewHttp.get(PreviewHttp.previewUrl(project.id(), 3001, "/"), cookie).status())
        .isEqualTo(401);
    assertThat(PreviewHttp.get(app("/"), cookie).status()).isEqualTo(200);
  }

  @Test
  @Checklist("B33")
  void forgedAndExpiredCookiesAreRefused() throws Exception {
    ObjectNode record = PreviewHttp.cookieRecord(cookie);
    ObjectNode otherProject = record.deepCopy().put("projectId", other.id());
    assertThat(
            PreviewHttp.get(
                    PreviewHttp.previewUrl(other.id(), 3000, "/"),
                    PreviewHttp.tamperedCookie(cookie, otherProject))
                .status())
        .isEqualTo(401);
    assertThat(PreviewHttp.get(app("/"), PreviewHttp.COOKIE + "=garbage.garbage").status())
        .isEqualTo(401);
    // Signed correctly (with the stack's secret) but expired: only the expiry check refuses it.
    ObjectNode expired = record.deepCopy().put("expiresAt", System.currentTimeMillis() / 1000 - 5);
    String expiredCookie =
        PreviewHttp.signedCookie(
            expired, TestInfrastructure.JWT_SECRET, "constellation/preview-cookie/v1");
    assertThat(PreviewHttp.get(app("/"), expiredCookie).status()).isEqualTo(401);
    ObjectNode fresh = record.deepCopy().put("expiresAt", System.currentTimeMillis() / 1000 + 600);
    String resigned =
        PreviewHttp.signedCookie(
            fresh, TestInfrastructure.JWT_SECRET, "constellation/preview-cookie/v1");
    assertThat(PreviewHttp.get(app("/"), resigned).status())
        .as("control: the re-signed cookie")
        .isEqualTo(200);
  }

  @Test
  @Checklist("B33")
  void signingOutClosesThePreview() throws Exception {
    Api.Session member = project.api().register("member");
    var added =
        project
            .api()
            .send(
                "PUT",
                "/api/projects/" + project.id() + "/members/" + member.userId(),
                project.owner().accessToken(),
                Map.of("role", "VIEWER"));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    String memberCookie =
        PreviewHttp.memberCookie(project.api(), project.id(), 3000, member.accessToken());
    assertThat(PreviewHttp.get(app("/"), memberCookie).status()).isEqualTo(200);
    var out =
        project
            .api()
            .send(
                "POST",
                "/api/auth/logout",
                member.accessToken(),
                Map.of("refreshToken", member.refreshToken()));
    assertThat(out.statusCode()).as(out.body()).isIn(200, 204);
    assertThat(PreviewHttp.get(app("/"), memberCookie).status()).isEqualTo(401);
  }

  @Test
  @Checklist("B24")
  void theIdeOriginServesNoPreview() throws Exception {
    URI ide = URI.create(SystemStack.gatewayUrl());
    for (String path :
        new String[] {
          "/",
          "/.constellation/preview-auth",
          "/api/projects/" + project.id() + "/ports/3000/",
          "/p3000/"
        }) {
      var response = PreviewHttp.get(ide.resolve(path), cookie);
      assertThat(response.body()).as("IDE origin %s", path).doesNotContain("preview-app-3000");
    }
    // A host under the preview domain that names no preview is no way in either.
    var bare =
        PreviewHttp.get(URI.create("http://preview.localhost:" + ide.getPort() + "/"), cookie);
    assertThat(bare.status()).isEqualTo(404);
  }

  @Test
  @Checklist("B24")
  void aRedirectToTheMetadataAddressIsPassedOnNeverFollowed() throws Exception {
    var response = PreviewHttp.get(app("/metadata"), cookie);
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.header("location")).isEqualTo("http://169.254.169.254/latest/meta-data/");
    assertThat(response.body()).isEmpty();
  }

  @Test
  @Checklist("B24")
  void aPortNothingListensOnIs404AndGoesNowhere() throws Exception {
    String cookie3999 =
        PreviewHttp.memberCookie(project.api(), project.id(), 3999, project.owner().accessToken());
    var response = PreviewHttp.get(PreviewHttp.previewUrl(project.id(), 3999, "/"), cookie3999);
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("content-type")).contains("problem+json");
  }

  @Test
  @Checklist("B24")
  void websocketsFromForeignOriginsAreRefused() throws Exception {
    for (String origin :
        new String[] {"http://evil.example", "null", PreviewHttp.previewOrigin(other.id(), 3000)}) {
      assertThat(
              PreviewHttp.websocketEcho(
                  app("/hmr"), Map.of("Cookie", cookie, "Origin", origin), "x"))
          .as("Origin %s", origin)
          .isEqualTo("HTTP 403");
    }
    assertThat(PreviewHttp.websocketEcho(app("/hmr"), Map.of("Cookie", cookie), "x"))
        .isEqualTo("HTTP 403");
  }

  @Test
  @Checklist("B34")
  void shareLinksReadOnlyAndRevocable() throws Exception {
    String base = "/api/projects/" + project.id() + "/ports/3000/share";
    Api.Session viewer = project.api().register("viewer");
    project
        .api()
        .send(
            "PUT",
            "/api/projects/" + project.id() + "/members/" + viewer.userId(),
            project.owner().accessToken(),
            Map.of("role", "VIEWER"));
    assertThat(
            project
                .api()
                .send("POST", base, viewer.accessToken(), Map.of("expiresInMinutes", 5))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            project
                .api()
                .send("POST", base, project.owner().accessToken(), Map.of("expiresInMinutes", 0))
                .statusCode())
        .isEqualTo(400);
    var shared =
        project
            .api()
            .send("POST", base, project.owner().accessToken(), Map.of("expiresInMinutes", 5));
    assertThat(shared.statusCode()).as(shared.body()).isEqualTo(200);
    String url = Api.json(shared).path("url").asString();
    var listed =
        project
            .api()
            .get("/api/projects/" + project.id() + "/ports", project.owner().accessToken());
    assertThat(listed.body()).contains(url);

    var redirect = PreviewHttp.get(URI.create(url), null);
    assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
    String shareCookie = redirect.previewCookie();
    assertThat(PreviewHttp.get(app("/"), shareCookie).status()).isEqualTo(200);
    assertThat(PreviewHttp.send("HEAD", app("/"), Map.of("Cookie", shareCookie), null).status())
        .isEqualTo(200);
    assertThat(PreviewHttp.send("POST", app("/form"), Map.of("Cookie", shareCookie), "x").status())
        .isEqualTo(405);
    assertThat(
            PreviewHttp.websocketEcho(
                app("/hmr"),
                Map.of(
                    "Cookie", shareCookie, "Origin", PreviewHttp.previewOrigin(project.id(), 3000)),
                "x"))
        .isEqualTo("HTTP 403");
    // The link opens only its own port.
    assertThat(PreviewHttp.get(PreviewHttp.previewUrl(other.id(), 3000, "/"), shareCookie).status())
        .isEqualTo(401);

    assertThat(project.api().send("DELETE", base, project.owner().accessToken(), null).statusCode())
        .isEqualTo(204);
    assertThat(PreviewHttp.get(app("/"), shareCookie).status()).isEqualTo(401);
    assertThat(PreviewHttp.get(URI.create(url), null).status()).isEqualTo(401);
  }

  @Test
  @Checklist("B34")
  void anExpiredShareLinkIsRefused() throws Exception {
    String base = "/api/projects/" + project.id() + "/ports/3000/share";
    var shared =
        project
            .api()
            .send("POST", base, project.owner().accessToken(), Map.of("expiresInMinutes", 5));
    String url = Api.json(shared).path("url").asString();
    String token = url.substring(url.indexOf("share=") + 6);
    ObjectNode record = PreviewHttp.cookieRecord("x=" + token);
    record.put("expiresAt", System.currentTimeMillis() - 1000);
    String expired =
        PreviewHttp.signedCookie(
            record, TestInfrastructure.JWT_SECRET, "constellation/preview-share/v1");
    String expiredToken = expired.substring(expired.indexOf('=') + 1);
    var response = PreviewHttp.get(URI.create(url.replace(token, expiredToken)), null);
    assertThat(response.status()).isEqualTo(401);
    assertThat(PreviewHttp.get(URI.create(url), null).status())
        .as("control: the live link")
        .isEqualTo(302);
  }
}
