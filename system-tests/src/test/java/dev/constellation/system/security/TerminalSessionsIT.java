package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.ServiceProcess;
import dev.constellation.system.Api;
import dev.constellation.system.Docker;
import dev.constellation.system.SystemStack;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Terminal sessions as a developer meets them: a shell that survives a dropped socket and a restart
 * of workspace-service, a server that keeps running in it, a Stop that stays a stop, and the
 * workspace's status pushed to the IDE.
 */
class TerminalSessionsIT {
  private static final Duration SHELL = Duration.ofSeconds(30);

  @BeforeAll
  static void docker() {
    Workspaces.requireDocker();
  }

  @Test
  void aSessionSurvivesADroppedSocketWithItsScrollbackAndItsVariables() throws Exception {
    Workspaces.Project p = Workspaces.newProject("sessions-drop").start();
    try {
      TerminalClient first = TerminalClient.open(p);
      String sessionId = first.sessionId(SHELL);
      assertThat(sessionId).matches("t-[a-z0-9]{12}");
      assertThat(first.run("export X=42; echo mark-1", "mark-1", SHELL)).as(first.clean()).isTrue();
      // Enough lines that most of them are history above the screen, not on it.
      assertThat(first.run("seq 1 100 | sed s/^/L/; echo done-1", "done-1", SHELL))
          .as(first.clean())
          .isTrue();
      first.socket.abort();

      TerminalClient again = TerminalClient.reattach(p, sessionId);
      try {
        assertThat(again.sessionId(SHELL)).isEqualTo(sessionId);
        assertThat(again.await(Pattern.compile("(?m)^mark-1$"), SHELL))
            .as("scrollback after reattach: %s", again.clean())
            .isTrue();
        assertThat(again.await(Pattern.compile("(?m)^done-1$"), SHELL)).isTrue();
        assertThat(again.run("echo X=$X", "X=42", SHELL)).as(again.clean()).isTrue();
        // History above the screen is replayed once, never twice. Lines on the screen may come
        // more than once in the byte stream: tmux redraws the screen in place (after a resize, for
        // one), which a terminal shows once and this transcript of raw bytes repeats.
        assertThat(count(again.clean(), "(?m)^L50$")).as(again.clean()).isEqualTo(1);
        assertThat(count(again.clean(), "(?m)^L99$")).as(again.clean()).isPositive();
        assertThat(again.controls.get(0).path("type").asString()).isEqualTo("session");
      } finally {
        again.close();
      }
      JsonNode listed = list(p);
      assertThat(listed).hasSize(1);
      assertThat(listed.get(0).path("id").asString()).isEqualTo(sessionId);
    } finally {
      p.delete();
    }
  }

  @Test
  void sessionsAndTheirServersOutliveARestartOfWorkspaceService() throws Exception {
    Workspaces.Project p = Workspaces.newProject("sessions-restart").start();
    try {
      TerminalClient shell = TerminalClient.open(p);
      String shellId = shell.sessionId(SHELL);
      assertThat(shell.run("export X=42; echo mark-restart", "mark-restart", SHELL)).isTrue();
      shell.close();

      TerminalClient server = TerminalClient.open(p);
      String serverId = server.sessionId(SHELL);
      server.type("python3 -m http.server 8765 --bind 127.0.0.1\r");
      assertThat(server.await(Pattern.compile("Serving HTTP"), SHELL)).as(server.clean()).isTrue();
      String pid = p.exec("pgrep -f 'http[.]server 8765'").path("stdout").asString().trim();
      assertThat(pid).isNotEmpty();
      server.socket.abort();

      ServiceProcess service = SystemStack.get().service("workspace-service");
      service.close();
      service.start();
      service.awaitReady(Duration.ofSeconds(180));

      JsonNode listed = awaitList(p, Duration.ofSeconds(60));
      List<String> ids = new ArrayList<>();
      listed.forEach(s -> ids.add(s.path("id").asString()));
      assertThat(ids).containsExactlyInAnyOrder(shellId, serverId);
      for (JsonNode s : listed) {
        if (s.path("id").asString().equals(serverId))
          // The list says what holds the port, so a second start is no EADDRINUSE surprise.
          assertThat(s.path("command").asString()).isEqualTo("python3");
        assertThat(s.path("attached").asBoolean()).isFalse();
      }
      // The same process still serves (and holds) the port.
      assertThat(p.exec("pgrep -f 'http[.]server 8765'").path("stdout").asString().trim())
          .isEqualTo(pid);
      assertThat(
              p.exec("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8765/")
                  .path("stdout")
                  .asString())
          .isEqualTo("200");

      TerminalClient back = TerminalClient.reattach(p, shellId);
      try {
        assertThat(back.await(Pattern.compile("(?m)^mark-restart$"), SHELL))
            .as(back.clean())
            .isTrue();
        assertThat(back.run("echo X=$X", "X=42", SHELL)).as(back.clean()).isTrue();
      } finally {
        back.close();
      }
    } finally {
      p.delete();
    }
  }

  @Test
  void stopStaysStoppedWhileTheTerminalKeepsReconnecting() throws Exception {
    Workspaces.Project p = Workspaces.newProject("sessions-stop").start();
    try {
      TerminalClient open = TerminalClient.open(p);
      String sessionId = open.sessionId(SHELL);
      assertThat(open.run("echo up", "up", SHELL)).isTrue();
      p.stop();
      assertThat(open.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1001);

      // What a reconnecting IDE does: a ticket and a socket, again and again, for over 5 s.
      long until = System.nanoTime() + Duration.ofMillis(5500).toNanos();
      int attempts = 0;
      while (System.nanoTime() < until && attempts < 40) {
        String query = attempts % 2 == 0 ? "" : "&session=" + sessionId;
        TerminalClient retry = TerminalClient.open(p, true, query);
        assertThat(retry.closed.get(20, TimeUnit.SECONDS)).isEqualTo(4409);
        assertThat(retry.closeReason).isEqualTo("workspace-stopped");
        attempts++;
        Thread.sleep(250);
      }
      assertThat(attempts).isGreaterThan(3);
      var status = p.api().get("/api/projects/" + p.id() + "/workspace", p.owner().accessToken());
      assertThat(Api.json(status).path("status").asString()).isEqualTo("STOPPED");
      assertThat(Docker.runningContainersOf(p.id())).as("running containers").isEmpty();
      assertThat(list(p)).as("sessions end with the workspace").isEmpty();

      // Started again, the old session is gone for good.
      p.start();
      TerminalClient gone = TerminalClient.reattach(p, sessionId);
      assertThat(gone.closed.get(20, TimeUnit.SECONDS)).isEqualTo(4404);
    } finally {
      p.delete();
    }
  }

  @Test
  void theEventStreamTellsEachPhaseOfStartAndStop() throws Exception {
    Workspaces.Project p = Workspaces.newProject("sessions-events");
    try (Events events = Events.open(p)) {
      assertThat(events.next("status", Duration.ofSeconds(20)).path("phase").asString())
          .isEqualTo("stopped");
      p.start();
      assertThat(events.phases(3, Duration.ofSeconds(60)))
          .containsExactly("creating", "starting", "ready");
      TerminalClient t = TerminalClient.open(p);
      JsonNode terminals = events.next("terminals", Duration.ofSeconds(20));
      assertThat(terminals.path("sessions").get(0).path("id").asString())
          .isEqualTo(t.sessionId(SHELL));
      t.close();
      p.stop();
      assertThat(events.phases(2, Duration.ofSeconds(60))).containsExactly("stopping", "stopped");
    } finally {
      p.delete();
    }
  }

  @Test
  @Checklist("B35")
  void anotherProjectsOrUsersSessionCannotBeListedKilledOrAttached() throws Exception {
    Workspaces.Project p = Workspaces.newProject("sessions-owner").start();
    Workspaces.Project q = Workspaces.newProject("sessions-stranger").start();
    try {
      TerminalClient t = TerminalClient.open(p);
      String sessionId = t.sessionId(SHELL);
      assertThat(t.run("echo mine", "mine", SHELL)).isTrue();
      t.close();
      String stranger = q.owner().accessToken();
      String base = "/api/projects/" + p.id() + "/terminals";
      assertThat(p.api().get(base, stranger).statusCode()).isIn(403, 404);
      assertThat(p.api().send("DELETE", base + "/" + sessionId, stranger, null).statusCode())
          .isIn(403, 404);
      assertThat(
              p.api()
                  .send("PATCH", base + "/" + sessionId, stranger, Map.of("title", "taken"))
                  .statusCode())
          .isIn(403, 404);
      assertThat(
              p.api()
                  .send(
                      "DELETE",
                      "/api/projects/" + q.id() + "/terminals/" + sessionId,
                      stranger,
                      null)
                  .statusCode())
          .as("P's session through Q's API")
          .isEqualTo(404);
      // Q's own ticket with P's session id: Q's workspace has no such session.
      TerminalClient foreign = TerminalClient.open(q, true, "&session=" + sessionId);
      assertThat(foreign.closed.get(20, TimeUnit.SECONDS)).isEqualTo(4404);
      assertThat(foreign.clean()).doesNotContain("mine");

      // A viewer of P sees the list but cannot kill, rename or attach.
      Api.Session viewer = p.api().register("sessions-viewer");
      var added =
          p.api()
              .send(
                  "PUT",
                  "/api/projects/" + p.id() + "/members/" + viewer.userId(),
                  p.owner().accessToken(),
                  Map.of("role", "VIEWER"));
      assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
      assertThat(p.api().get(base, viewer.accessToken()).statusCode()).isEqualTo(200);
      assertThat(
              p.api()
                  .send("DELETE", base + "/" + sessionId, viewer.accessToken(), null)
                  .statusCode())
          .isEqualTo(403);
      assertThat(
              p.api()
                  .send("PATCH", base + "/" + sessionId, viewer.accessToken(), Map.of("title", "x"))
                  .statusCode())
          .isEqualTo(403);
      assertThat(
              p.api()
                  .send(
                      "POST",
                      "/api/projects/" + p.id() + "/terminal/ticket",
                      viewer.accessToken(),
                      null)
                  .statusCode())
          .isEqualTo(403);

      // The owner renames and kills it.
      var renamed =
          p.api()
              .send(
                  "PATCH",
                  base + "/" + sessionId,
                  p.owner().accessToken(),
                  Map.of("title", "build"));
      assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
      assertThat(Api.json(renamed).path("title").asString()).isEqualTo("build");
      assertThat(
              p.api()
                  .send(
                      "PATCH",
                      base + "/" + sessionId,
                      p.owner().accessToken(),
                      Map.of("title", "a\u0007b"))
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              p.api()
                  .send("DELETE", base + "/" + sessionId, p.owner().accessToken(), null)
                  .statusCode())
          .isEqualTo(204);
      assertThat(list(p)).isEmpty();
      assertThat(
              p.api()
                  .send("DELETE", base + "/" + sessionId, p.owner().accessToken(), null)
                  .statusCode())
          .isEqualTo(404);
    } finally {
      p.delete();
      q.delete();
    }
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) n++;
    return n;
  }

  static JsonNode list(Workspaces.Project p) throws Exception {
    var response = p.api().get("/api/projects/" + p.id() + "/terminals", p.owner().accessToken());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Api.json(response);
  }

  /**
   * The list once the gateway reaches workspace-service again (its breaker may be open a while).
   */
  private static JsonNode awaitList(Workspaces.Project p, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      var response = p.api().get("/api/projects/" + p.id() + "/terminals", p.owner().accessToken());
      if (response.statusCode() == 200) return Api.json(response);
      if (System.nanoTime() > deadline)
        throw new AssertionError("no session list within " + timeout + ": " + response.body());
      Thread.sleep(500);
    }
  }

  /** The IDE's event stream, read on a thread of its own. */
  static final class Events implements AutoCloseable {
    private final List<String[]> received = new ArrayList<>();
    private final Thread reader;
    private volatile java.io.InputStream body;
    private int read;

    private Events(Workspaces.Project p) throws Exception {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      SystemStack.gatewayUrl() + "/api/projects/" + p.id() + "/workspace/events"))
              .header("Authorization", "Bearer " + p.owner().accessToken())
              .header("Accept", "text/event-stream")
              .GET()
              .build();
      HttpResponse<java.io.InputStream> response =
          Api.HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("text/event-stream");
      body = response.body();
      reader =
          new Thread(
              () -> {
                try (var lines =
                    new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                  String event = null;
                  String line;
                  while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event:")) event = line.substring(6).trim();
                    else if (line.startsWith("data:") && event != null) {
                      synchronized (received) {
                        received.add(new String[] {event, line.substring(5).trim()});
                        received.notifyAll();
                      }
                      event = null;
                    }
                  }
                } catch (java.io.IOException closed) {
                  // the test closed the stream
                }
              },
              "events-reader");
      reader.setDaemon(true);
      reader.start();
    }

    static Events open(Workspaces.Project p) throws Exception {
      return new Events(p);
    }

    /** The next event of {@code type} (others are skipped). */
    JsonNode next(String type, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (received) {
        while (true) {
          while (read < received.size()) {
            String[] e = received.get(read++);
            if (e[0].equals(type)) return Api.JSON.readTree(e[1]);
          }
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) throw new AssertionError("no " + type + " event within " + timeout);
          received.wait(left);
        }
      }
    }

    /** The phases of the next {@code n} status events. */
    List<String> phases(int n, Duration timeout) throws InterruptedException {
      List<String> phases = new ArrayList<>();
      for (int i = 0; i < n; i++) phases.add(next("status", timeout).path("phase").asString());
      return phases;
    }

    @Override
    public void close() throws Exception {
      body.close();
    }
  }
}
