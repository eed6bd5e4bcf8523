package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProblemsIT extends DockerStack {

  private static String problems(String p) {
    return "/api/projects/" + p + "/problems";
  }

  private static void write(Api api, String p, String path, String text) {
    var r =
        api.send(
            "PUT",
            "/api/projects/" + p + "/files/content?path=" + Api.q(path),
            text.getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  private static Api.Response ask(Api api, String p, List<String> paths) {
    return api.post(problems(p), Api.JSON.writeValueAsString(Map.of("paths", paths)));
  }

  @Test
  void reportsATypeScriptTypeErrorAndAPythonUndefinedNameAtTheirLines() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    write(api, p, "src/a.ts", "const x: number = 1;\nconst y: string = x;\nexport { y };\n");
    write(api, p, "b.py", "import os\n\nprint(os.sep, undefined_name)\n");
    write(api, p, "notes.txt", "no server for this\n");
    assertThat(api.post("/api/projects/" + p + "/workspace/start", null).status()).isEqualTo(200);

    var r = ask(api, p, List.of("src/a.ts", "b.py", "notes.txt"));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode body = r.json();
    List<String> languages = new ArrayList<>();
    body.get("languages").forEach(l -> languages.add(l.asString()));
    assertThat(languages).as(r.text()).containsExactlyInAnyOrder("typescript", "python");
    assertThat(body.get("problems"))
        .as(r.text())
        .anySatisfy(
            d -> {
              assertThat(d.get("path").asString()).isEqualTo("src/a.ts");
              assertThat(d.get("severity").asString()).isEqualTo("error");
              assertThat(d.get("line").asInt()).isEqualTo(2);
              assertThat(d.get("column").asInt()).isEqualTo(7);
              assertThat(d.get("message").asString()).contains("not assignable");
            })
        .anySatisfy(
            d -> {
              assertThat(d.get("path").asString()).isEqualTo("b.py");
              assertThat(d.get("line").asInt()).isEqualTo(3);
              assertThat(d.get("message").asString()).contains("undefined name 'undefined_name'");
              assertThat(d.get("source").asString()).isEqualTo("pyflakes");
            })
        .noneSatisfy(d -> assertThat(d.get("line").asInt()).isEqualTo(1));
    assertThat(body.get("unavailable").get(0).get("language").asString()).isEqualTo("txt");
  }

  @Test
  void refusesBadPathsViewersAndAStoppedWorkspaceWithProblems() throws Exception {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    write(api, p, "ok.py", "x = 1\n");
    Files.createSymbolicLink(ROOT.resolve(p).resolve("passwd.py"), Path.of("/etc/passwd"));
    var stopped = ask(api, p, List.of("ok.py"));
    assertThat(stopped.status()).as(stopped.text()).isEqualTo(409);
    assertThat(stopped.json().get("type").asString()).endsWith("/workspace-stopped");

    List<String> tooMany = IntStream.range(0, 21).mapToObj(i -> "f" + i + ".py").toList();
    for (var paths :
        List.of(
            List.<String>of(),
            tooMany,
            List.of("../x.py"),
            List.of("/etc/passwd"),
            List.of("passwd.py"))) {
      var r = ask(api, p, paths);
      assertThat(r.status()).as(paths + " " + r.text()).isEqualTo(400);
      assertThat(r.header("Content-Type")).contains("application/problem+json");
      assertThat(r.text()).doesNotContain("root:");
    }
    assertThat(ask(api, p, List.of("missing.py")).status()).isEqualTo(404);

    String viewed = project("bob", "VIEWER");
    var refused = ask(as("bob"), viewed, List.of("ok.py"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.header("Content-Type")).contains("application/problem+json");
  }
}
