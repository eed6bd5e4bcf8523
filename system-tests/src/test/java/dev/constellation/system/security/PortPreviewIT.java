package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Port previews as a member meets them: a server started in the workspace is listed and served on
 * its own origin through the gateway, over HTTP and WebSocket, with Host and redirects rewritten
 * for the app and nothing of the IDE's credentials passed on.
 */
@Checklist("B24")
class PortPreviewIT {
  private static Workspaces.Project project;
  private static String cookie;

  @BeforeAll
  static void serverOnPort3000() throws Exception {
    Workspaces.requireDocker();
    project = Workspaces.newProject("preview").start();
    PreviewHttp.startServer(project, 3000);
    PreviewHttp.waitListed(project, 3000, 10_000);
    cookie =
        PreviewHttp.memberCookie(project.api(), project.id(), 3000, project.owner().accessToken());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (project != null) project.delete();
  }

  @Test
  void aNewListeningPortIsListedWithinTwoSeconds() throws Exception {
    PreviewHttp.startServer(project, 3100);
    long took = PreviewHttp.waitListed(project, 3100, 2_000);
    var listed =
        project
            .api()
            .get("/api/projects/" + project.id() + "/ports", project.owner().accessToken());
    JsonNode port = null;
    for (JsonNode n : Api.json(listed)) if (n.path("port").asInt() == 3100) port = n;
    assertThat(port).isNotNull();
    assertThat(port.path("url").asString())
        .isEqualTo(PreviewHttp.previewOrigin(project.id(), 3100) + "/");
    assertThat(took).as("ms until listed").isLessThan(2_000);
  }

  @Test
  void memberGetsTheAppOverHttpWithHostAndCredentialsRewritten() throws Exception {
    var response =
        PreviewHttp.send(
            "GET",
            PreviewHttp.previewUrl(project.id(), 3000, "/hello?x=1"),
            Map.of(
                "Cookie", cookie + "; theirs=kept",
                "Authorization", "Bearer " + project.owner().accessToken(),
                "Accept", "application/json"),
            null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode app = response.json();
    assertThat(app.path("marker").asString()).isEqualTo("preview-app-3000");
    assertThat(app.path("url").asString()).isEqualTo("/hello?x=1");
    JsonNode headers = app.path("headers");
    assertThat(headers.path("host").asString()).isEqualTo("localhost:3000");
    assertThat(headers.path("x-forwarded-host").asString())
        .isEqualTo(URI.create(PreviewHttp.previewOrigin(project.id(), 3000)).getRawAuthority());
    assertThat(headers.has("authorization")).as("Authorization forwarded").isFalse();
    assertThat(headers.path("cookie").asString()).isEqualTo("theirs=kept");
    // Only the IDE may frame the preview; the IDE's own strict policy is not the app's.
    assertThat(response.all("content-security-policy"))
        .anyMatch(v -> v.startsWith("frame-ancestors"));
    assertThat(response.all("content-security-policy")).noneMatch(v -> v.contains("script-src"));
  }

  @Test
  void memberPostsToo() throws Exception {
    var response =
        PreviewHttp.send(
            "POST",
            PreviewHttp.previewUrl(project.id(), 3000, "/form"),
            Map.of("Cookie", cookie, "Content-Type", "text/plain"),
            "hello");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().path("body").asString()).isEqualTo("hello");
  }

  @Test
  void websocketEchoesThroughThePreviewOrigin() throws Exception {
    String echoed =
        PreviewHttp.websocketEcho(
            PreviewHttp.previewUrl(project.id(), 3000, "/hmr"),
            Map.of("Cookie", cookie, "Origin", PreviewHttp.previewOrigin(project.id(), 3000)),
            "ping");
    assertThat(echoed).isEqualTo("echo:localhost:3000:ping");
  }

  @Test
  void redirectsToTheAppsOwnAddressComeBackOnThePreviewOrigin() throws Exception {
    var response = PreviewHttp.get(PreviewHttp.previewUrl(project.id(), 3000, "/self"), cookie);
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.header("location"))
        .isEqualTo(PreviewHttp.previewOrigin(project.id(), 3000) + "/landing?x=1");
  }
}
