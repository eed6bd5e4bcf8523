package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The files watch as the IDE hears it: changes made inside a real workspace container arrive on the
 * workspace event stream (through the gateway) as {@code files} events, links are reported but
 * never followed, and a stream only ever carries its own project's changes.
 */
class FilesWatchIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @BeforeAll
  static void docker() {
    Workspaces.requireDocker();
  }

  @Test
  void filesWrittenMovedAndRemovedInsideTheContainerArriveAsEvents() throws Exception {
    Workspaces.Project p = Workspaces.newProject("watch-exec").start();
    try (FilesStream events = FilesStream.open(p.id(), p.owner().accessToken())) {
      events.awaitWatching(() -> p.exec("touch probe-$RANDOM"));

      p.exec("echo one > a.txt");
      events.await("a.txt", "created");
      p.exec("echo two >> a.txt");
      events.await("a.txt", "modified");
      p.exec("mv a.txt b.txt");
      events.await("a.txt", "deleted");
      events.await("b.txt", "created");
      p.exec("mkdir -p src/deep && echo x > src/deep/c.txt");
      events.await("src/deep/c.txt", "created");
      p.exec("rm b.txt");
      events.await("b.txt", "deleted");
    } finally {
      p.delete();
    }
  }

  @Test
  @Checklist("B46")
  void theWatchNeverFollowsALinkOutOfTheProject() throws Exception {
    Workspaces.Project p = Workspaces.newProject("watch-links").start();
    // A folder on the host, where the watcher runs: a link made inside the container to this path
    // would lead a following watcher here.
    Path host = Files.createTempDirectory("watch-outside");
    try (FilesStream events = FilesStream.open(p.id(), p.owner().accessToken())) {
      events.awaitWatching(() -> p.exec("touch probe-$RANDOM"));

      p.exec("ln -s /etc etc-link && ln -s " + host + " host-link && mkdir real");
      events.await("etc-link", "created");
      events.await("host-link", "created");
      events.await("real", "created");
      // A folder swapped for a link after it was watched.
      int before = events.mark();
      p.exec("mv real real-gone && ln -s " + host + " real");
      events.await("real-gone", "created");
      // "modified" when the removal and the new link fall in one window, else deleted + created
      events.awaitAny(before, "real", "modified", "created");

      Files.writeString(host.resolve("secret.txt"), "s");
      Files.writeString(host.resolve("secret.txt"), "s2");
      p.exec("echo m > marker.txt");
      events.await("marker.txt", "created");
      assertThat(events.paths())
          .noneMatch(path -> path.contains("secret") || path.contains("passwd"));
    } finally {
      p.delete();
      Files.deleteIfExists(host.resolve("secret.txt"));
      Files.deleteIfExists(host);
    }
  }

  @Test
  @Checklist("B47")
  void changesOfOneProjectNeverReachAnotherProjectsStreamOrAStranger() throws Exception {
    Api api = Workspaces.api();
    Workspaces.Project p = Workspaces.newProject("watch-p");
    Workspaces.Project q = Workspaces.newProject("watch-q");
    Api.Session viewer = api.register("watch-viewer");
    Api.Session stranger = api.register("watch-stranger");
    var role =
        api.send(
            "PUT",
            "/api/projects/" + p.id() + "/members/" + viewer.userId(),
            p.owner().accessToken(),
            Map.of("role", "VIEWER"));
    assertThat(role.statusCode()).as(role.body()).isEqualTo(200);

    assertThat(FilesStream.status(p.id(), stranger.accessToken())).isEqualTo(404);
    // q's owner is a stranger to p too
    assertThat(FilesStream.status(p.id(), q.owner().accessToken())).isEqualTo(404);

    try (FilesStream ofP = FilesStream.open(p.id(), viewer.accessToken());
        FilesStream ofQ = FilesStream.open(q.id(), q.owner().accessToken())) {
      ofP.awaitWatching(() -> write(p, "probe-" + UUID.randomUUID(), "x"));
      ofQ.awaitWatching(() -> write(q, "probe-" + UUID.randomUUID(), "x"));

      write(p, "only-in-p.txt", "p");
      ofP.await("only-in-p.txt", "created");
      write(q, "only-in-q.txt", "q");
      ofQ.await("only-in-q.txt", "created");
      ofP.await("only-in-p.txt", "created");
      assertThat(ofQ.paths()).doesNotContain("only-in-p.txt");
      assertThat(ofP.paths()).doesNotContain("only-in-q.txt");
    } finally {
      p.delete();
      q.delete();
    }
  }

  /** Writes through the files API, as the editor or another user does. */
  private static void write(Workspaces.Project p, String path, String content)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    SystemStack.gatewayUrl()
                        + "/api/projects/"
                        + p.id()
                        + "/files/content?path="
                        + URLEncoder.encode(path, StandardCharsets.UTF_8)))
            .header("Authorization", "Bearer " + p.owner().accessToken())
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofString(content))
            .build();
    HttpResponse<String> response = Api.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
  }

  interface Action {
    void run() throws Exception;
  }

  /** A workspace event stream through the gateway; collects the changes of its files events. */
  static final class FilesStream implements AutoCloseable {
    private final InputStream body;
    private final List<JsonNode> changes = new ArrayList<>();

    private FilesStream(InputStream body) {
      this.body = body;
      Thread reader =
          new Thread(
              () -> {
                try (var lines =
                    new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                  String event = null;
                  String line;
                  while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event:")) event = line.substring(6).trim();
                    else if (line.startsWith("data:") && event != null) {
                      if (event.equals("files")) {
                        JsonNode data = Api.JSON.readTree(line.substring(5).trim());
                        synchronized (changes) {
                          data.path("changes").forEach(changes::add);
                          changes.notifyAll();
                        }
                      }
                      event = null;
                    }
                  }
                } catch (IOException closed) {
                  // the test closed the stream
                }
              },
              "files-events-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private static HttpResponse<InputStream> connect(String projectId, String token)
        throws IOException, InterruptedException {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      SystemStack.gatewayUrl()
                          + "/api/projects/"
                          + projectId
                          + "/workspace/events"))
              .header("Authorization", "Bearer " + token)
              .header("Accept", "text/event-stream")
              .GET()
              .build();
      return Api.HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    static FilesStream open(String projectId, String token) throws Exception {
      HttpResponse<InputStream> response = connect(projectId, token);
      assertThat(response.statusCode()).isEqualTo(200);
      return new FilesStream(response.body());
    }

    static int status(String projectId, String token) throws Exception {
      HttpResponse<InputStream> response = connect(projectId, token);
      response.body().close();
      return response.statusCode();
    }

    /** The watch starts shortly after the stream opens: pokes until a change arrives. */
    void awaitWatching(Action poke) throws Exception {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        poke.run();
        synchronized (changes) {
          changes.wait(1000);
          if (!changes.isEmpty()) return;
        }
      }
      throw new AssertionError("the files watch did not start within " + WAIT);
    }

    void await(String path, String kind) throws InterruptedException {
      awaitAny(0, path, kind);
    }

    int mark() {
      synchronized (changes) {
        return changes.size();
      }
    }

    /** A change of {@code path} of one of {@code kinds}, among those from index {@code from} on. */
    void awaitAny(int from, String path, String... kinds) throws InterruptedException {
      List<String> wanted = List.of(kinds);
      long deadline = System.nanoTime() + WAIT.toNanos();
      synchronized (changes) {
        while (true) {
          for (JsonNode c : changes.subList(Math.min(from, changes.size()), changes.size()))
            if (c.path("path").asString().equals(path)
                && wanted.contains(c.path("kind").asString())) return;
          long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
          if (left <= 0)
            throw new AssertionError(
                "no " + wanted + " of " + path + " within " + WAIT + "; got " + changes);
          changes.wait(left);
        }
      }
    }

    List<String> paths() {
      synchronized (changes) {
        return changes.stream().map(c -> c.path("path").asString()).toList();
      }
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }
}
