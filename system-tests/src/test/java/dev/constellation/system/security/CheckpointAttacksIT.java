package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.Docker;
import dev.constellation.system.SystemStack;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11's checkpoints through the gateway: a restore never writes through a link a workspace
 * process swaps in, checkpoints live outside every project (and its {@code .git}) and out of every
 * container's sight, and only editors take or restore them.
 */
class CheckpointAttacksIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Path workspaces() {
    return SystemStack.get().dataDir().resolve("workspaces");
  }

  private static HttpResponse<String> writeFile(
      Workspaces.Project p, String token, String path, String content) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    SystemStack.gatewayUrl()
                        + "/api/projects/"
                        + p.id()
                        + "/files/content?path="
                        + URLEncoder.encode(path, StandardCharsets.UTF_8)))
            .header("Authorization", "Bearer " + token)
            .PUT(HttpRequest.BodyPublishers.ofString(content))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> checkpoint(Workspaces.Project p, String token, String label)
      throws Exception {
    return p.api()
        .send("POST", "/api/projects/" + p.id() + "/checkpoints", token, Map.of("label", label));
  }

  private static HttpResponse<String> restore(Workspaces.Project p, String token, String id)
      throws Exception {
    return p.api()
        .send("POST", "/api/projects/" + p.id() + "/checkpoints/" + id + "/restore", token, null);
  }

  /** sha-256 of every regular file below {@code dir}, links left out. */
  private static Map<String, String> hashes(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) continue;
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path));
        out.put(dir.relativize(path).toString(), HexFormat.of().formatHex(digest));
      }
    }
    return out;
  }

  @Test
  @Checklist("B57")
  void aRestoreNeverWritesThroughALinkSwappedInWhileItRuns() throws Exception {
    Workspaces.Project p = Workspaces.newProject("cp-race");
    String token = p.owner().accessToken();
    assertThat(writeFile(p, token, "victim.txt", "checkpoint text\n").statusCode()).isEqualTo(200);
    assertThat(writeFile(p, token, "sub/inner.txt", "inner\n").statusCode()).isEqualTo(200);
    var created = checkpoint(p, token, "before");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = Api.json(created).path("id").asString();

    Path hostDir = Files.createTempDirectory("cp-host");
    Path hostFile = hostDir.resolve("secret.txt");
    String secret = "HOST-" + UUID.randomUUID();
    Files.writeString(hostFile, secret);
    Path project = workspaces().resolve(p.id());

    // What a process in the workspace can do while a restore runs: swap the very names the restore
    // writes (a file and a parent folder) for links to the host, as fast as it can.
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger swaps = new AtomicInteger();
    Thread swapper =
        new Thread(
            () -> {
              Path victim = project.resolve("victim.txt");
              Path sub = project.resolve("sub");
              while (running.get()) {
                try {
                  Files.deleteIfExists(victim);
                  Files.createSymbolicLink(victim, hostFile);
                  if (Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> s = Files.list(sub)) {
                      for (Path c : (Iterable<Path>) s::iterator) Files.deleteIfExists(c);
                    }
                  }
                  Files.deleteIfExists(sub);
                  Files.createSymbolicLink(sub, hostDir);
                  swaps.incrementAndGet();
                  Files.deleteIfExists(victim);
                  Files.writeString(victim, "changed");
                  Files.deleteIfExists(sub);
                } catch (IOException raced) {
                  // the restore moved a name meanwhile: round again
                }
              }
            });
    swapper.start();
    try {
      for (int i = 0; i < 12; i++) {
        var r = restore(p, token, id);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 409);
        assertThat(r.body()).doesNotContain(secret);
      }
    } finally {
      running.set(false);
      swapper.join();
    }
    assertThat(swaps.get()).as("the swapper raced the restores").isPositive();
    assertThat(Files.readString(hostFile)).isEqualTo(secret);
    try (Stream<Path> s = Files.list(hostDir)) {
      assertThat(s.map(x -> x.getFileName().toString())).containsExactly("secret.txt");
    }
    // Once nothing races, the restore is whole again (a link in the way is removed, not followed).
    Files.deleteIfExists(project.resolve("sub"));
    Files.deleteIfExists(project.resolve("victim.txt"));
    Files.createSymbolicLink(project.resolve("victim.txt"), hostFile);
    var calm = restore(p, token, id);
    assertThat(calm.statusCode()).as(calm.body()).isEqualTo(200);
    assertThat(Files.isSymbolicLink(project.resolve("victim.txt"))).isFalse();
    assertThat(Files.readString(project.resolve("victim.txt"))).isEqualTo("checkpoint text\n");
    assertThat(Files.readString(project.resolve("sub/inner.txt"))).isEqualTo("inner\n");
    assertThat(Files.readString(hostFile)).isEqualTo(secret);
    p.delete();
  }

  @Test
  @Checklist("B58")
  void checkpointsLiveOutsideEveryProjectItsGitAndEveryContainer() throws Exception {
    Workspaces.Project p = Workspaces.newProject("cp-where");
    String token = p.owner().accessToken();
    assertThat(writeFile(p, token, "src/app.js", "console.log(1)\n").statusCode()).isEqualTo(200);
    assertThat(writeFile(p, token, ".git/HEAD", "ref: refs/heads/main\n").statusCode())
        .isEqualTo(200);
    Path project = workspaces().resolve(p.id());
    Map<String, String> before = hashes(project);

    var created = checkpoint(p, token, "where");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = Api.json(created).path("id").asString();
    // Nothing was added to the project, nor to its own repository.
    assertThat(hashes(project)).isEqualTo(before);
    Path store = workspaces().resolve(".checkpoints").resolve(p.id() + ".git");
    assertThat(Files.isDirectory(store.resolve("objects"))).isTrue();
    assertThat(
            Files.exists(store.resolve("refs/checkpoints").resolve(id))
                || Files.readString(store.resolve("packed-refs")).contains(id))
        .isTrue();
    // The user's .git was not snapshotted: restoring leaves a changed HEAD alone.
    assertThat(writeFile(p, token, ".git/HEAD", "ref: refs/heads/other\n").statusCode())
        .isEqualTo(200);
    assertThat(restore(p, token, id).statusCode()).isEqualTo(200);
    assertThat(Files.readString(project.resolve(".git/HEAD"))).contains("other");

    // The files API cannot reach the store either.
    for (String path :
        new String[] {
          "../.checkpoints/" + p.id() + ".git/HEAD", "../.checkpoints", "/" + store + "/HEAD"
        }) {
      var read =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          SystemStack.gatewayUrl()
                              + "/api/projects/"
                              + p.id()
                              + "/files/content?path="
                              + URLEncoder.encode(path, StandardCharsets.UTF_8)))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(read.statusCode()).as(path).isBetween(400, 404);
    }

    // And the workspace container sees no trace of it.
    if (Docker.available()) {
      JsonNode found =
          p.exec(
              "find / \\( -path /proc -o -path /sys \\) -prune -o \\( -name '"
                  + p.id()
                  + ".git' -o -name .checkpoints \\) -print 2>/dev/null;"
                  + " grep -rl "
                  + id
                  + " /workspace 2>/dev/null; echo done");
      assertThat(found.path("stdout").asString().strip()).isEqualTo("done");
      String mounts = Workspaces.docker("inspect", "--format", "{{json .Mounts}}", p.container());
      assertThat(mounts).doesNotContain(".checkpoints");
    }
    p.delete();
  }

  @Test
  @Checklist("B59")
  void aViewerCannotTakeOrRestoreACheckpointAndAStrangerSeesNone() throws Exception {
    Workspaces.Project p = Workspaces.newProject("cp-roles");
    String token = p.owner().accessToken();
    Api.Session viewer = p.api().register("cp-viewer");
    Api.Session stranger = p.api().register("cp-stranger");
    var member =
        p.api()
            .send(
                "PUT",
                "/api/projects/" + p.id() + "/members/" + viewer.userId(),
                token,
                Map.of("role", "VIEWER"));
    assertThat(member.statusCode()).as(member.body()).isEqualTo(200);
    assertThat(writeFile(p, token, "a.txt", "one\n").statusCode()).isEqualTo(200);
    String id = Api.json(checkpoint(p, token, "owner's")).path("id").asString();
    assertThat(writeFile(p, token, "a.txt", "two\n").statusCode()).isEqualTo(200);

    String base = "/api/projects/" + p.id() + "/checkpoints";
    var restoreByViewer = restore(p, viewer.accessToken(), id);
    assertThat(restoreByViewer.statusCode()).isEqualTo(403);
    assertThat(restoreByViewer.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(checkpoint(p, viewer.accessToken(), "mine").statusCode()).isEqualTo(403);
    assertThat(Files.readString(workspaces().resolve(p.id()).resolve("a.txt"))).isEqualTo("two\n");
    // Viewers read: the list (still one checkpoint) and its diff.
    var list = p.api().get(base, viewer.accessToken());
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(Api.json(list).size()).isEqualTo(1);
    var diff = p.api().get(base + "/" + id + "/diff", viewer.accessToken());
    assertThat(diff.statusCode()).isEqualTo(200);
    assertThat(diff.body()).contains("a.txt");

    for (var r :
        new HttpResponse<?>[] {
          p.api().get(base, stranger.accessToken()),
          p.api().get(base + "/" + id + "/diff", stranger.accessToken()),
          checkpoint(p, stranger.accessToken(), "x"),
          restore(p, stranger.accessToken(), id)
        }) {
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body().toString()).doesNotContain("a.txt");
    }
    assertThat(Files.readString(workspaces().resolve(p.id()).resolve("a.txt"))).isEqualTo("two\n");
    p.delete();
  }
}
