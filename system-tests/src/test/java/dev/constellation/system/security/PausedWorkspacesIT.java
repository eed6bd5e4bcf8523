package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Paused workspaces (issue 12) against the whole stack and a real Docker engine: a pause freezes
 * the container (cgroup freezer) and the next use — an exec through the gateway, a terminal opened
 * or typed into — thaws it with its files and processes as they were; only editors pause; the
 * memory paused workspaces hold is bounded ({@link SystemStack#PAUSED_MAX_MEMORY_MB}).
 */
class PausedWorkspacesIT {
  private static final Duration SHELL = Duration.ofSeconds(30);

  @BeforeAll
  static void docker() {
    Workspaces.requireDocker();
  }

  private static HttpResponse<String> pause(Workspaces.Project p, String token) throws Exception {
    return p.api().send("POST", "/api/projects/" + p.id() + "/workspace/pause", token, null);
  }

  private static String status(Workspaces.Project p) throws Exception {
    var response = p.api().get("/api/projects/" + p.id() + "/workspace", p.owner().accessToken());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Api.json(response).path("status").asString();
  }

  private static boolean frozen(Workspaces.Project p) {
    return Workspaces.inspect(p.container()).path("State").path("Paused").asBoolean();
  }

  private static HttpResponse<String> putFile(Workspaces.Project p, String path, String text)
      throws Exception {
    return Api.HTTP.send(
        HttpRequest.newBuilder(
                java.net.URI.create(
                    SystemStack.gatewayUrl()
                        + "/api/projects/"
                        + p.id()
                        + "/files/content?path="
                        + path))
            .header("Authorization", "Bearer " + p.owner().accessToken())
            .PUT(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Checklist("B64")
  void aPausedWorkspaceKeepsItsFilesAndAnExecThroughTheGatewayResumesIt() throws Exception {
    Workspaces.Project p = Workspaces.newProject("paused-exec").start();
    try {
      assertThat(p.exec("echo before > before.txt").path("exitCode").asInt()).isZero();

      var paused = pause(p, p.owner().accessToken());
      assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
      assertThat(Api.json(paused).path("status").asString()).isEqualTo("PAUSED");
      assertThat(status(p)).isEqualTo("PAUSED");
      assertThat(frozen(p)).as("docker inspect State.Paused").isTrue();
      // Pausing again changes nothing.
      assertThat(pause(p, p.owner().accessToken()).statusCode()).isEqualTo(200);

      // The files are on the host: the files API works without thawing the workspace.
      var read =
          p.api()
              .get(
                  "/api/projects/" + p.id() + "/files/content?path=before.txt",
                  p.owner().accessToken());
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      assertThat(read.body()).isEqualTo("before\n");
      var written = putFile(p, "during.txt", "during\n");
      assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
      assertThat(frozen(p)).as("a file read or write does not thaw it").isTrue();
      assertThat(status(p)).isEqualTo("PAUSED");

      // A command through the gateway thaws it and runs, seeing both files.
      var result = p.exec("cat before.txt during.txt");
      assertThat(result.path("exitCode").asInt()).as(result.toString()).isZero();
      assertThat(result.path("stdout").asString()).isEqualTo("before\nduring\n");
      assertThat(status(p)).isEqualTo("RUNNING");
      assertThat(frozen(p)).isFalse();
    } finally {
      p.delete();
    }
  }

  @Test
  @Checklist("B65")
  void aTerminalOpenedOrTypedIntoResumesAPausedWorkspaceButNeverAStoppedOne() throws Exception {
    Workspaces.Project p = Workspaces.newProject("paused-terminal").start();
    try {
      TerminalClient open = TerminalClient.open(p);
      String sessionId;
      try {
        sessionId = open.sessionId(SHELL);
        assertThat(open.run("export KEPT=yes; echo mark-one", "mark-one", SHELL))
            .as(open.clean())
            .isTrue();

        // Left open while the workspace pauses: the next keystroke thaws it.
        assertThat(pause(p, p.owner().accessToken()).statusCode()).isEqualTo(200);
        assertThat(frozen(p)).isTrue();
        assertThat(open.run("echo kept=$KEPT", "kept=yes", SHELL)).as(open.clean()).isTrue();
        assertThat(status(p)).isEqualTo("RUNNING");
        assertThat(frozen(p)).isFalse();
      } finally {
        open.close();
      }

      // Opening a terminal on a paused workspace thaws it; the session and its shell are there.
      assertThat(pause(p, p.owner().accessToken()).statusCode()).isEqualTo(200);
      assertThat(frozen(p)).isTrue();
      TerminalClient again = TerminalClient.reattach(p, sessionId);
      try {
        assertThat(again.sessionId(SHELL)).isEqualTo(sessionId);
        assertThat(again.run("echo again=$KEPT", "again=yes", SHELL)).as(again.clean()).isTrue();
        assertThat(status(p)).isEqualTo("RUNNING");
      } finally {
        again.close();
      }

      // A stopped workspace stays stopped: a terminal socket never starts it, and it cannot be
      // paused.
      p.stop();
      var refused = pause(p, p.owner().accessToken());
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
      assertThat(refused.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      TerminalClient onStopped = TerminalClient.open(p);
      try {
        assertThat(onStopped.closed.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4409);
      } finally {
        onStopped.close();
      }
      assertThat(status(p)).isEqualTo("STOPPED");
    } finally {
      p.delete();
    }
  }

  @Test
  @Checklist("B63")
  void onlyEditorsPauseAndARefusedPauseFreezesNothing() throws Exception {
    Workspaces.Project p = Workspaces.newProject("paused-roles").start();
    try {
      Api.Session viewer = p.api().register("paused-viewer");
      Api.Session stranger = p.api().register("paused-stranger");
      var member =
          p.api()
              .send(
                  "PUT",
                  "/api/projects/" + p.id() + "/members/" + viewer.userId(),
                  p.owner().accessToken(),
                  Map.of("role", "VIEWER"));
      assertThat(member.statusCode()).as(member.body()).isEqualTo(200);

      var asViewer = pause(p, viewer.accessToken());
      assertThat(asViewer.statusCode()).as(asViewer.body()).isEqualTo(403);
      var asStranger = pause(p, stranger.accessToken());
      assertThat(asStranger.statusCode()).as(asStranger.body()).isEqualTo(404);
      assertThat(frozen(p)).isFalse();
      assertThat(status(p)).isEqualTo("RUNNING");
      // The viewer still sees the status, as for any workspace.
      var seen = p.api().get("/api/projects/" + p.id() + "/workspace", viewer.accessToken());
      assertThat(Api.json(seen).path("status").asString()).isEqualTo("RUNNING");
    } finally {
      p.delete();
    }
  }

  @Test
  @Checklist("B66")
  void pausedWorkspacesOverTheMemoryBoundAreStoppedLongestPausedFirstWithTheirFilesKept()
      throws Exception {
    long ballastMb = SystemStack.PAUSED_MAX_MEMORY_MB * 2 / 3;
    Workspaces.Project older = Workspaces.newProject("paused-older").start();
    Workspaces.Project newer = Workspaces.newProject("paused-newer").start();
    try {
      // Memory each workspace holds while frozen: a file on its /tmp (a tmpfs, so in memory).
      for (Workspaces.Project p : new Workspaces.Project[] {older, newer}) {
        var ballast =
            p.exec("head -c " + ballastMb + "M /dev/zero > /tmp/ballast && echo kept > kept.txt");
        assertThat(ballast.path("exitCode").asInt()).as(ballast.toString()).isZero();
      }
      assertThat(pause(older, older.owner().accessToken()).statusCode()).isEqualTo(200);
      assertThat(status(older)).as("alone, it fits").isEqualTo("PAUSED");

      // Together they hold more than the bound: the one paused first is stopped, files kept.
      assertThat(pause(newer, newer.owner().accessToken()).statusCode()).isEqualTo(200);
      assertThat(status(older)).isEqualTo("STOPPED");
      assertThat(Workspaces.inspect(older.container()).path("State").path("Running").asBoolean())
          .isFalse();
      assertThat(status(newer)).isEqualTo("PAUSED");
      assertThat(frozen(newer)).isTrue();
      var kept =
          older
              .api()
              .get(
                  "/api/projects/" + older.id() + "/files/content?path=kept.txt",
                  older.owner().accessToken());
      assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
      assertThat(kept.body()).isEqualTo("kept\n");
      // And the stopped one starts again on use.
      assertThat(older.exec("cat kept.txt").path("stdout").asString()).isEqualTo("kept\n");
    } finally {
      older.delete();
      newer.delete();
    }
  }
}
