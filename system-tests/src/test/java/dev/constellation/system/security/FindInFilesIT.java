package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Find in files and replace across files against a real workspace, through the gateway: the same
 * answers from both engines (the server's walk while the workspace is stopped, ripgrep inside it
 * while it runs), .gitignore honoured, links out of the project never followed, replace only over
 * what the user previewed, and one undo.
 */
class FindInFilesIT {
  private static Workspaces.Project project;

  @BeforeAll
  static void project() throws Exception {
    Workspaces.requireDocker();
    project = Workspaces.newProject("find-in-files");
    put("src/app.ts", "const Alpha = 1;\nlet alphabet = 'x';\n// ALPHA here\n");
    put("src/util.js", "function alpha() {}\n");
    put("README.md", "no match\nalpha and \u00e9 alpha\n");
    put(".gitignore", "dist/\n*.log\n");
    put("dist/out.js", "alpha\n");
    put("debug.log", "alpha\n");
    put("node_modules/x/index.js", "alpha\n");
    put("secret-marker.txt", "needle-in-project\n");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (project != null) project.delete();
  }

  @Test
  @Checklist("B39")
  void bothEnginesFindTheSameLinesAndColumnsAndNeitherFollowsALinkOutOfTheProject()
      throws Exception {
    // Links made inside the workspace, as any program there could: to /etc, to a file outside,
    // and a loop back to the project itself.
    project.start();
    project.exec(
        "ln -s /etc etc-link && ln -s /etc/passwd passwd-link && ln -s . loop"
            + " && ln -s /proc/1/root proc-root");
    project.stop();
    Map<String, Object> walked = searchAll("walk");
    project.start();
    Map<String, Object> grepped = searchAll("ripgrep");
    assertThat(grepped).isEqualTo(walked);
    project.stop();
  }

  /** Every case of the contract with one engine; answers what was found, for the comparison. */
  private Map<String, Object> searchAll(String engine) throws Exception {
    Map<String, Object> all = new LinkedHashMap<>();

    Result plain = search(Map.of("query", "alpha"), engine);
    assertThat(plain.hits())
        .containsExactly(
            "README.md:2:1",
            "README.md:2:13",
            "node_modules/x/index.js:1:1",
            "src/app.ts:1:7",
            "src/app.ts:2:5",
            "src/app.ts:3:4",
            "src/util.js:1:10");
    all.put("plain", plain.hits());

    Result cased = search(Map.of("query", "alpha", "caseSensitive", true), engine);
    assertThat(cased.hits()).doesNotContain("src/app.ts:1:7", "src/app.ts:3:4");
    assertThat(cased.hits()).contains("src/app.ts:2:5", "src/util.js:1:10");
    all.put("case", cased.hits());

    Result word = search(Map.of("query", "alpha", "wholeWord", true), engine);
    assertThat(word.hits()).contains("src/app.ts:1:7", "src/app.ts:3:4", "src/util.js:1:10");
    assertThat(word.hits()).doesNotContain("src/app.ts:2:5");
    all.put("word", word.hits());

    Result regex = search(Map.of("query", "al(p|f)ha\\(", "regex", true), engine);
    assertThat(regex.hits()).containsExactly("src/util.js:1:10");
    assertThat(regex.files().get(0).path("matches").get(0).path("length").asInt()).isEqualTo(6);
    all.put("regex", regex.hits());

    Result included = search(Map.of("query", "alpha", "include", List.of("*.ts")), engine);
    assertThat(included.paths()).containsExactly("src/app.ts");
    all.put("include", included.hits());

    Result excluded =
        search(Map.of("query", "alpha", "exclude", List.of("node_modules", "*.md")), engine);
    assertThat(excluded.paths()).containsExactly("src/app.ts", "src/util.js");
    all.put("exclude", excluded.hits());

    Result capped = search(Map.of("query", "alpha", "maxResults", 2), engine);
    assertThat(capped.hits()).hasSize(2);
    assertThat(capped.done().path("limitHit").asBoolean()).isTrue();
    assertThat(capped.done().path("truncated").asBoolean()).isTrue();

    // /etc/passwd's first line, through any of the links, would match; the project's own file
    // shows the search itself works.
    Result outside = search(Map.of("query", "root:x:0:0|needle-in-project", "regex", true), engine);
    assertThat(outside.paths()).containsExactly("secret-marker.txt");
    all.put("links", outside.hits());

    HttpResponse<String> bad = post("/search", Map.of("query", "(unclosed", "regex", true));
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    assertThat(bad.body()).contains("The regular expression is not valid");
    assertThat(post("/search", Map.of("query", "")).statusCode()).isEqualTo(400);
    return all;
  }

  @Test
  @Checklist("B40")
  void replaceRewritesOnlyPreviewedUnchangedFilesAndUndoRestoresThem() throws Exception {
    put("replace/a.txt", "foo bar foo\nkeep\n");
    put("replace/b.txt", "foo\n");
    Result preview =
        search(Map.of("query", "f(o)o", "regex", true, "include", List.of("replace/**")), null);
    assertThat(preview.paths()).containsExactly("replace/a.txt", "replace/b.txt");
    List<Map<String, String>> files = new ArrayList<>();
    for (JsonNode f : preview.files())
      files.add(Map.of("path", f.path("path").asString(), "etag", f.path("etag").asString()));
    // Someone edits b.txt after the preview: the replace must leave it alone.
    put("replace/b.txt", "foo edited elsewhere\n");

    HttpResponse<String> replaced =
        post(
            "/search/replace",
            Map.of("query", "f(o)o", "regex", true, "replacement", "X$1", "files", files));
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
    JsonNode result = Api.json(replaced);
    assertThat(result.path("changed")).hasSize(1);
    assertThat(result.path("changed").get(0).path("path").asString()).isEqualTo("replace/a.txt");
    assertThat(result.path("changed").get(0).path("replacements").asInt()).isEqualTo(2);
    assertThat(result.path("skipped")).hasSize(1);
    assertThat(result.path("skipped").get(0).path("path").asString()).isEqualTo("replace/b.txt");
    assertThat(read("replace/a.txt")).isEqualTo("Xo bar Xo\nkeep\n");
    assertThat(read("replace/b.txt")).isEqualTo("foo edited elsewhere\n");

    String undoId = result.path("undoId").asString();
    HttpResponse<String> undone = post("/search/replace/" + undoId + "/undo", null);
    assertThat(undone.statusCode()).as(undone.body()).isEqualTo(200);
    assertThat(read("replace/a.txt")).isEqualTo("foo bar foo\nkeep\n");
    // One undo: a second one has nothing left to restore.
    assertThat(post("/search/replace/" + undoId + "/undo", null).statusCode()).isEqualTo(404);

    // A replacement naming a group the expression lacks changes nothing.
    HttpResponse<String> badGroup =
        post(
            "/search/replace",
            Map.of(
                "query",
                "foo",
                "regex",
                true,
                "replacement",
                "$7",
                "files",
                List.of(
                    Map.of(
                        "path",
                        "replace/a.txt",
                        "etag",
                        search(Map.of("query", "foo", "include", List.of("replace/a.txt")), null)
                            .files()
                            .get(0)
                            .path("etag")
                            .asString()))));
    assertThat(badGroup.statusCode()).as(badGroup.body()).isEqualTo(400);
    assertThat(read("replace/a.txt")).isEqualTo("foo bar foo\nkeep\n");
  }

  // ---- helpers

  record Result(List<JsonNode> files, JsonNode done) {
    List<String> hits() {
      List<String> hits = new ArrayList<>();
      for (JsonNode f : files)
        for (JsonNode m : f.path("matches"))
          hits.add(
              f.path("path").asString()
                  + ":"
                  + m.path("line").asInt()
                  + ":"
                  + m.path("column").asInt());
      return hits.stream().sorted().toList();
    }

    List<String> paths() {
      return files.stream().map(f -> f.path("path").asString()).sorted().toList();
    }
  }

  private static Result search(Map<String, Object> body, String engine) throws Exception {
    HttpResponse<String> response = post("/search", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/x-ndjson");
    List<JsonNode> files = new ArrayList<>();
    JsonNode done = null;
    for (String line : response.body().split("\n")) {
      if (line.isBlank()) continue;
      JsonNode node = Api.JSON.readTree(line);
      if (node.path("done").asBoolean()) done = node;
      else files.add(node);
    }
    assertThat(done).as("the summary line of %s", response.body()).isNotNull();
    if (engine != null) assertThat(done.path("engine").asString()).isEqualTo(engine);
    assertThat(done.path("matches").asInt())
        .isEqualTo(files.stream().mapToInt(f -> f.path("matches").size()).sum());
    return new Result(files, done);
  }

  private static HttpResponse<String> post(String path, Object body) throws Exception {
    return project
        .api()
        .send("POST", "/api/projects/" + project.id() + path, project.owner().accessToken(), body);
  }

  private static void put(String path, String content) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    dev.constellation.system.SystemStack.gatewayUrl()
                        + "/api/projects/"
                        + project.id()
                        + "/files/content?path="
                        + URLEncoder.encode(path, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + project.owner().accessToken())
            .PUT(HttpRequest.BodyPublishers.ofString(content))
            .build();
    HttpResponse<String> response = Api.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static String read(String path) throws Exception {
    HttpResponse<String> response =
        project
            .api()
            .get(
                "/api/projects/"
                    + project.id()
                    + "/files/content?path="
                    + URLEncoder.encode(path, StandardCharsets.UTF_8),
                project.owner().accessToken());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }
}
