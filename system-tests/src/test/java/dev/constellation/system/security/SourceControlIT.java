package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Source control against a git server of our own: {@code git http-backend} (git's smart-HTTP CGI,
 * served by test-resource git/git-http-server.py) in a network namespace at 198.19.41.10 — an
 * address workspaces reach like any host on the internet (loopback is the host's, which the
 * workspace firewall blocks). Port 8080 serves without authentication (pushes allowed), port 8081
 * only with Basic auth {@code alice:<token>}. Needs root (ip netns) and Docker.
 */
class SourceControlIT {
  private static final String SERVER = "198.19.41.10";
  private static final String OPEN = "http://" + SERVER + ":8080/";
  private static final String PRIVATE = "http://" + SERVER + ":8081/";
  private static final String TOKEN = "tok-" + Long.toHexString(System.nanoTime()) + "-Zq7";
  private static final String TAG = Long.toHexString(System.nanoTime() & 0xffffff);

  private static final List<Process> servers = new ArrayList<>();
  private static String namespace;
  private static Path repos;
  private static Api api;

  @BeforeAll
  static void gitServer() throws Exception {
    Workspaces.requireDocker();
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!(root && run(List.of("ip", "netns", "list")).exit() == 0)) {
      if (SystemStack.dockerRequired())
        throw new IllegalStateException("REQUIRE_DOCKER=1: this test needs root and iproute2");
      Assumptions.abort("needs root and iproute2 for a network-namespace git server");
    }
    SystemStack.get();
    api = Workspaces.api();
    repos = Files.createTempDirectory("git-server");
    Path script = repos.resolve("git-http-server.py");
    try (InputStream in = SourceControlIT.class.getResourceAsStream("/git/git-http-server.py")) {
      Files.write(script, in.readAllBytes());
    }
    Path served = Files.createDirectories(repos.resolve("served"));
    Path seed = repos.resolve("seed");
    must(List.of("git", "init", "-q", "-b", "main", seed.toString()));
    Files.writeString(seed.resolve("README.md"), "# Seeded\n\nline two\n");
    Files.writeString(
        seed.resolve("notes.txt"),
        String.join("\n", List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "")));
    git(seed, "add", ".");
    git(seed, "commit", "-q", "-m", "First commit");
    Files.writeString(seed.resolve("README.md"), "# Seeded\n\nline two\nline three\n");
    git(seed, "commit", "-q", "-am", "Second commit");
    for (String name : List.of("seeded", "private")) {
      must(
          List.of(
              "git",
              "clone",
              "-q",
              "--bare",
              seed.toString(),
              served.resolve(name + ".git").toString()));
    }

    namespace = "cw-git-" + TAG;
    String host = "vhgit" + TAG;
    String inside = "vngit" + TAG;
    must(List.of("ip", "netns", "add", namespace));
    must(List.of("ip", "link", "add", host, "type", "veth", "peer", "name", inside));
    must(List.of("ip", "link", "set", inside, "netns", namespace));
    must(List.of("ip", "addr", "add", "198.19.41.1/24", "dev", host));
    must(List.of("ip", "link", "set", host, "up"));
    must(inNamespace("ip", "addr", "add", SERVER + "/24", "dev", inside));
    must(inNamespace("ip", "link", "set", inside, "up"));
    must(inNamespace("ip", "link", "set", "lo", "up"));
    must(inNamespace("ip", "route", "add", "default", "via", "198.19.41.1"));
    servers.add(
        start(inNamespace("python3", script.toString(), SERVER, "8080", served.toString())));
    servers.add(
        start(
            inNamespace(
                "python3",
                script.toString(),
                SERVER,
                "8081",
                served.toString(),
                "alice:" + TOKEN)));
    // The open server answers 200, the private one 401 without a token: both are up.
    for (String url : List.of(OPEN, PRIVATE)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (run(List.of(
              "curl",
              "-s",
              "--noproxy",
              "*",
              "-m",
              "2",
              "-o",
              "/dev/null",
              "-w",
              "%{http_code}",
              url + "seeded.git/info/refs?service=git-upload-pack"))
          .output()
          .matches("000|")) {
        assertThat(System.nanoTime()).as("git server %s answers", url).isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    for (Process p : servers) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    if (namespace != null) run(List.of("ip", "netns", "delete", namespace));
    if (repos != null) {
      try (Stream<Path> walk = Files.walk(repos)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
  }

  @Test
  void aClonedProjectShowsItsHistoryAndAnEditCommittedAndPushedArrivesInTheServer()
      throws Exception {
    Api.Session user = api.register("git-clone");
    String project = emptyProject(user, "cloned");
    try {
      JsonNode cloned =
          ok(201, post(user, project, "/git/clone", Map.of("url", OPEN + "seeded.git")));
      assertThat(cloned.path("branch").asString()).isEqualTo("main");
      assertThat(cloned.path("head").asString()).isEqualTo(serverHead("seeded"));

      JsonNode log = ok(200, get(user, project, "/git/log?limit=50"));
      assertThat(log.size()).isEqualTo(2);
      assertThat(log.get(0).path("subject").asString()).isEqualTo("Second commit");
      assertThat(log.get(1).path("subject").asString()).isEqualTo("First commit");
      JsonNode status = ok(200, get(user, project, "/git/status"));
      assertThat(status.path("repository").asBoolean()).isTrue();
      assertThat(status.path("branch").asString()).isEqualTo("main");
      assertThat(status.path("upstream").asString()).isEqualTo("origin/main");
      assertThat(status.path("files").size()).as(status.toString()).isZero();

      // An edit saved through the files API shows in status and diff.
      putFile(user, project, "README.md", "# Seeded\n\nline two, edited\nline three\n");
      status = ok(200, get(user, project, "/git/status"));
      assertThat(status.path("files").get(0).path("path").asString()).isEqualTo("README.md");
      assertThat(status.path("files").get(0).path("worktree").asString()).isEqualTo("M");
      assertThat(status.path("files").get(0).path("index").asString()).isEqualTo(".");
      JsonNode diff = ok(200, get(user, project, "/git/diff?path=README.md&staged=false"));
      assertThat(diff.path("original").asString()).isEqualTo("# Seeded\n\nline two\nline three\n");
      assertThat(diff.path("modified").asString()).contains("line two, edited");
      assertThat(diff.path("binary").asBoolean()).isFalse();
      assertThat(diff.path("hunks").size()).isEqualTo(1);

      ok(204, post(user, project, "/git/stage", Map.of("paths", List.of("README.md"))));
      status = ok(200, get(user, project, "/git/status"));
      assertThat(status.path("files").get(0).path("index").asString()).isEqualTo("M");
      JsonNode commit =
          ok(200, post(user, project, "/git/commit", Map.of("message", "Edit the README")));
      assertThat(commit.path("summary").asString()).isEqualTo("Edit the README");
      JsonNode head = ok(200, get(user, project, "/git/log?limit=1")).get(0);
      assertThat(head.path("email").asString()).isEqualTo(user.email());
      assertThat(head.path("sha").asString()).isEqualTo(commit.path("sha").asString());

      JsonNode pushed = ok(200, post(user, project, "/git/push", Map.of()));
      assertThat(pushed.path("output").asString()).contains("main");
      assertThat(serverHead("seeded")).isEqualTo(commit.path("sha").asString());
      assertThat(
              run(List.of(
                      "git",
                      "--git-dir",
                      repos.resolve("served/seeded.git").toString(),
                      "log",
                      "-1",
                      "--format=%ae %s"))
                  .output()
                  .strip())
          .isEqualTo(user.email() + " Edit the README");
    } finally {
      delete(user, project);
    }
  }

  @Test
  void hunkStagingBranchesAndAMergeConflictShowAsSuch() throws Exception {
    Api.Session user = api.register("git-hunks");
    String project = emptyProject(user, "hunks");
    try {
      ok(201, post(user, project, "/git/clone", Map.of("url", OPEN + "seeded.git")));
      // Two changes far apart: two hunks; stage only the second.
      putFile(user, project, "notes.txt", "one\n2\n3\n4\n5\n6\n7\n8\n9\nten\n");
      JsonNode unstaged = ok(200, get(user, project, "/git/diff?path=notes.txt"));
      assertThat(unstaged.path("hunks").size()).isEqualTo(2);
      ok(
          204,
          post(
              user,
              project,
              "/git/stage-hunks",
              Map.of("path", "notes.txt", "hunks", List.of(1), "unstage", false)));
      JsonNode staged = ok(200, get(user, project, "/git/diff?path=notes.txt&staged=true"));
      assertThat(staged.path("hunks").size()).isEqualTo(1);
      assertThat(staged.path("modified").asString()).startsWith("1\n").endsWith("9\nten\n");
      assertThat(ok(200, get(user, project, "/git/diff?path=notes.txt")).path("hunks").size())
          .isEqualTo(1);
      ok(200, post(user, project, "/git/commit", Map.of("message", "ten")));

      // A branch that changes the first line one way, main another: the merge conflicts.
      ok(201, post(user, project, "/git/branches", Map.of("name", "topic", "checkout", true)));
      assertThat(ok(200, get(user, project, "/git/branches")).path("current").asString())
          .isEqualTo("topic");
      ok(204, post(user, project, "/git/stage", Map.of("paths", List.of("notes.txt"))));
      ok(200, post(user, project, "/git/commit", Map.of("message", "one on topic")));
      ok(200, post(user, project, "/git/checkout", Map.of("branch", "main")));
      putFile(user, project, "notes.txt", "uno\n2\n3\n4\n5\n6\n7\n8\n9\nten\n");
      ok(204, post(user, project, "/git/stage", Map.of("paths", List.of("notes.txt"))));
      ok(200, post(user, project, "/git/commit", Map.of("message", "uno on main")));
      JsonNode merge = ok(200, post(user, project, "/git/merge", Map.of("branch", "topic")));
      assertThat(merge.path("conflicts").toString()).isEqualTo("[\"notes.txt\"]");
      JsonNode status = ok(200, get(user, project, "/git/status"));
      assertThat(status.path("merging").asBoolean()).isTrue();
      assertThat(status.path("files").get(0).path("conflicted").asBoolean()).isTrue();
      ok(204, post(user, project, "/git/merge/abort", null));
      assertThat(ok(200, get(user, project, "/git/status")).path("merging").asBoolean()).isFalse();

      // What the IDE asks in the background (status, diffs) never rewrites the index, so it never
      // holds .git/index.lock while a commit, ours or the terminal's, needs it.
      Workspaces.Project workspace = new Workspaces.Project(api, user, project);
      String stat = "stat -c '%i %Y %s' .git/index";
      workspace.exec("sleep 1.1; touch notes.txt");
      String before = workspace.exec(stat).path("stdout").asString();
      ok(200, get(user, project, "/git/status"));
      ok(200, get(user, project, "/git/diff?path=notes.txt"));
      assertThat(workspace.exec(stat).path("stdout").asString())
          .as("the index after a status and a diff of a touched file")
          .isEqualTo(before);

      // A branch name git refuses: 400, nothing created.
      assertThat(
              post(user, project, "/git/branches", Map.of("name", "bad..name", "checkout", false))
                  .statusCode())
          .isEqualTo(400);
      assertThat(ok(200, get(user, project, "/git/branches")).toString()).doesNotContain("bad..");
    } finally {
      delete(user, project);
    }
  }

  @Test
  @Checklist("B41")
  void aTokenIsUsedOnlyForItsOperationAndLeftNowhere() throws Exception {
    Api.Session alice = api.register("git-alice");
    Api.Session bob = api.register("git-bob");
    String withToken = emptyProject(alice, "private");
    String without = emptyProject(bob, "private-no-token");
    try {
      // Without a credential the private repository refuses: a clear 422, the project stays empty.
      var refused = post(bob, without, "/git/clone", Map.of("url", PRIVATE + "private.git"));
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
      assertThat(Api.json(refused).path("type").asString()).endsWith("git-failed");
      assertThat(ok(200, get(bob, without, "/files?path=")).size()).isZero();

      JsonNode credential =
          ok(
              201,
              api.send(
                  "POST",
                  "/api/git/credentials",
                  alice.accessToken(),
                  Map.of(
                      "kind", "https-token", "host", SERVER, "username", "alice", "token", TOKEN)));
      assertThat(credential.toString()).doesNotContain(TOKEN);
      assertThat(ok(200, api.get("/api/git/credentials", alice.accessToken())).toString())
          .contains(credential.path("id").asString())
          .doesNotContain(TOKEN);

      ok(201, post(alice, withToken, "/git/clone", Map.of("url", PRIVATE + "private.git")));
      putFile(alice, withToken, "README.md", "# Seeded\n\nprivately edited\n");
      ok(204, post(alice, withToken, "/git/stage", Map.of("paths", List.of("README.md"))));
      String sha =
          ok(200, post(alice, withToken, "/git/commit", Map.of("message", "Private edit")))
              .path("sha")
              .asString();
      ok(200, post(alice, withToken, "/git/pull", Map.of()));
      ok(200, post(alice, withToken, "/git/push", Map.of()));
      assertThat(serverHead("private")).isEqualTo(sha);

      // Nowhere afterwards: not in the project (.git included), not in the remote URL, not in a
      // process of the workspace, a service log or the database files (sealed at rest).
      Path projectDir = SystemStack.dataDir().resolve("workspaces").resolve(withToken);
      assertThat(Files.isDirectory(projectDir.resolve(".git"))).isTrue();
      assertThat(filesContaining(projectDir, TOKEN)).isEmpty();
      assertThat(Files.readString(projectDir.resolve(".git/config")))
          .contains("url = " + PRIVATE + "private.git\n");
      JsonNode ps = new Workspaces.Project(api, alice, withToken).exec("ps -eo args; env");
      assertThat(ps.toString()).doesNotContain(TOKEN);
      assertThat(filesContaining(SystemStack.dataDir(), TOKEN)).isEmpty();
    } finally {
      delete(alice, withToken);
      delete(bob, without);
    }
  }

  @Test
  @Checklist("B42")
  void aUsersCredentialsAreInvisibleAndUnusableToAnother() throws Exception {
    Api.Session alice = api.register("cred-a");
    Api.Session bob = api.register("cred-b");
    String bobs = emptyProject(bob, "bobs");
    try {
      String id =
          ok(
                  201,
                  api.send(
                      "POST",
                      "/api/git/credentials",
                      alice.accessToken(),
                      Map.of("kind", "https-token", "host", SERVER, "token", TOKEN)))
              .path("id")
              .asString();
      JsonNode key =
          ok(
              201,
              api.send(
                  "POST",
                  "/api/git/credentials",
                  alice.accessToken(),
                  Map.of("kind", "ssh-key", "host", "git.example.com")));
      assertThat(key.path("publicKey").asString()).startsWith("ssh-ed25519 ");

      assertThat(ok(200, api.get("/api/git/credentials", bob.accessToken())).size()).isZero();
      assertThat(
              api.send("DELETE", "/api/git/credentials/" + id, bob.accessToken(), null)
                  .statusCode())
          .isEqualTo(404);
      var used =
          post(bob, bobs, "/git/clone", Map.of("url", PRIVATE + "private.git", "credentialId", id));
      assertThat(used.statusCode()).as(used.body()).isEqualTo(404);
      assertThat(ok(200, get(bob, bobs, "/files?path=")).size()).isZero();
      // Alice still has both, and can delete her own.
      assertThat(ok(200, api.get("/api/git/credentials", alice.accessToken())).size()).isEqualTo(2);
      assertThat(
              api.send("DELETE", "/api/git/credentials/" + id, alice.accessToken(), null)
                  .statusCode())
          .isEqualTo(204);
    } finally {
      delete(bob, bobs);
    }
  }

  @Test
  @Checklist("B43")
  void urlsThatRunProgramsReadTheServersDiskOrLookLikeOptionsAreRefusedAndChangeNothing()
      throws Exception {
    Api.Session user = api.register("git-urls");
    String project = emptyProject(user, "urls");
    try {
      for (String url :
          List.of(
              "file:///etc",
              "/etc",
              "ext::sh -c touch% /workspace/pwned",
              "ext::sh -c id",
              "-uhttps://example.com/r.git",
              "--upload-pack=touch /workspace/pwned",
              "http://alice:" + TOKEN + "@" + SERVER + ":8081/private.git")) {
        var response = post(user, project, "/git/clone", Map.of("url", url));
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(400);
        assertThat(response.body()).doesNotContain(TOKEN);
      }
      var option =
          post(
              user,
              project,
              "/git/clone",
              Map.of("url", OPEN + "seeded.git", "branch", "--upload-pack=touch /workspace/pwned"));
      assertThat(option.statusCode()).as(option.body()).isEqualTo(400);
      assertThat(ok(200, get(user, project, "/files?path=")).size()).isZero();
    } finally {
      delete(user, project);
    }
  }

  @Test
  @Checklist("B44")
  void cloningFromCloudMetadataIsBlockedByTheWorkspaceFirewall() throws Exception {
    Api.Session user = api.register("git-metadata");
    String project = emptyProject(user, "metadata");
    try {
      var response =
          post(user, project, "/git/clone", Map.of("url", "http://169.254.169.254/latest.git"));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
      assertThat(ok(200, get(user, project, "/files?path=")).size()).isZero();
    } finally {
      delete(user, project);
    }
  }

  @Test
  @Checklist("B45")
  void viewersReadButCannotCommitOrPushAndStrangersSeeNothing() throws Exception {
    Api.Session owner = api.register("git-owner");
    Api.Session viewer = api.register("git-viewer");
    Api.Session stranger = api.register("git-stranger");
    String project = emptyProject(owner, "roles");
    try {
      ok(201, post(owner, project, "/git/clone", Map.of("url", OPEN + "seeded.git")));
      var member =
          api.send(
              "PUT",
              "/api/projects/" + project + "/members/" + viewer.userId(),
              owner.accessToken(),
              Map.of("role", "VIEWER"));
      assertThat(member.statusCode()).as(member.body()).isEqualTo(200);
      putFile(owner, project, "README.md", "changed by the owner\n");
      String before = serverHead("seeded");

      assertThat(get(viewer, project, "/git/status").statusCode()).isEqualTo(200);
      assertThat(get(viewer, project, "/git/log").statusCode()).isEqualTo(200);
      assertThat(get(viewer, project, "/git/diff?path=README.md").statusCode()).isEqualTo(200);
      for (var write :
          Map.of(
                  "/git/stage", Map.of("paths", List.of("README.md")),
                  "/git/commit", Map.of("message", "x"),
                  "/git/push", Map.of(),
                  "/git/pull", Map.of(),
                  "/git/clone", Map.of("url", OPEN + "seeded.git"),
                  "/git/branches", Map.of("name", "v", "checkout", true))
              .entrySet()) {
        assertThat(post(viewer, project, write.getKey(), write.getValue()).statusCode())
            .as("viewer POST " + write.getKey())
            .isEqualTo(403);
        assertThat(post(stranger, project, write.getKey(), write.getValue()).statusCode())
            .as("stranger POST " + write.getKey())
            .isEqualTo(404);
      }
      for (String read :
          List.of("/git/status", "/git/log", "/git/branches", "/git/diff?path=README.md")) {
        assertThat(get(stranger, project, read).statusCode())
            .as("stranger GET " + read)
            .isEqualTo(404);
      }
      // Nothing moved: the change is still unstaged and the server has no new commit.
      JsonNode status = ok(200, get(owner, project, "/git/status"));
      assertThat(status.path("files").get(0).path("index").asString()).isEqualTo(".");
      assertThat(serverHead("seeded")).isEqualTo(before);

      // A stopped workspace: reads say so (the IDE offers Start), the owner can still clone-check.
      ok(
          200,
          api.send(
              "POST", "/api/projects/" + project + "/workspace/stop", owner.accessToken(), null));
      var stopped = get(viewer, project, "/git/status");
      assertThat(stopped.statusCode()).isEqualTo(409);
      assertThat(Api.json(stopped).path("type").asString()).endsWith("workspace-stopped");
      // And cloning into a project with files is refused.
      var notEmpty = post(owner, project, "/git/clone", Map.of("url", OPEN + "seeded.git"));
      assertThat(notEmpty.statusCode()).as(notEmpty.body()).isEqualTo(409);
    } finally {
      delete(owner, project);
    }
  }

  // ---- helpers

  private static String emptyProject(Api.Session user, String name) throws Exception {
    var created =
        api.send(
            "POST",
            "/api/projects",
            user.accessToken(),
            Map.of("name", name, "templateId", "empty"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Api.json(created).path("id").asString();
  }

  private static void delete(Api.Session user, String project) throws Exception {
    api.send("DELETE", "/api/projects/" + project, user.accessToken(), null);
  }

  private static HttpResponse<String> get(Api.Session user, String project, String suffix)
      throws Exception {
    return api.get("/api/projects/" + project + suffix, user.accessToken());
  }

  private static HttpResponse<String> post(
      Api.Session user, String project, String suffix, Object body) throws Exception {
    // Clones and pushes take longer than Api's 30 s on a loaded machine.
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(SystemStack.gatewayUrl() + "/api/projects/" + project + suffix))
            .timeout(Duration.ofMinutes(3))
            .header("Authorization", "Bearer " + user.accessToken());
    if (body == null) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Api.JSON.writeValueAsString(body)));
    }
    return Api.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(int status, HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response.body().isEmpty() ? Api.JSON.createObjectNode() : Api.json(response);
  }

  private static void putFile(Api.Session user, String project, String path, String content)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    SystemStack.gatewayUrl()
                        + "/api/projects/"
                        + project
                        + "/files/content?path="
                        + path))
            .header("Authorization", "Bearer " + user.accessToken())
            .timeout(Duration.ofSeconds(30))
            .PUT(HttpRequest.BodyPublishers.ofString(content))
            .build();
    assertThat(Api.HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
  }

  private static String serverHead(String repo) throws Exception {
    return run(List.of(
            "git",
            "--git-dir",
            repos.resolve("served/" + repo + ".git").toString(),
            "rev-parse",
            "main"))
        .output()
        .strip();
  }

  /** Every regular file under {@code dir} whose bytes contain {@code secret}. */
  private static List<Path> filesContaining(Path dir, String secret) throws IOException {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    List<Path> hits = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(p);
        } catch (IOException e) {
          continue; // removed while walking
        }
        if (indexOf(bytes, needle) >= 0) hits.add(p);
      }
    }
    return hits;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "git",
                "-C",
                dir.toString(),
                "-c",
                "user.name=Seed",
                "-c",
                "user.email=seed@example.com"));
    command.addAll(List.of(args));
    must(command);
  }

  private static List<String> inNamespace(String... command) {
    List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    line.addAll(List.of(command));
    return line;
  }

  record Result(int exit, String output) {}

  private static Process start(List<String> command) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static void must(List<String> command) throws Exception {
    Result r = run(command);
    assertThat(r.exit()).as("%s: %s", String.join(" ", command), r.output()).isZero();
  }

  private static Result run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Result(-1, "timed out");
    }
    return new Result(process.exitValue(), out);
  }
}
