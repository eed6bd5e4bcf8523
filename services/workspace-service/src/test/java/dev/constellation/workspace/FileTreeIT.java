package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FileTreeIT extends DockerStack {

  private static String tree(String p) {
    return "/api/projects/" + p + "/files/tree";
  }

  private static Path layout(String p) throws IOException {
    Path dir = ROOT.resolve(p);
    Files.createDirectories(dir.resolve("src/deep"));
    Files.writeString(dir.resolve("a.txt"), "hello");
    Files.writeString(dir.resolve("src/Main.java"), "class Main {}");
    Files.writeString(dir.resolve("src/deep/x.ts"), "export {}");
    Files.createDirectories(dir.resolve("node_modules/pkg"));
    Files.writeString(dir.resolve("node_modules/pkg/index.js"), "");
    Files.createDirectories(dir.resolve(".git/objects"));
    Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.createSymbolicLink(dir.resolve("etc"), Path.of("/etc"));
    Files.createSymbolicLink(dir.resolve("loop"), Path.of("."));
    return dir;
  }

  private static List<String> lines(JsonNode tree) {
    List<String> lines = new ArrayList<>();
    for (JsonNode e : tree.get("entries"))
      lines.add(e.get("path").asString() + " " + e.get("type").asString() + " " + e.get("size"));
    return lines;
  }

  @Test
  void listsBreadthFirstInNameOrderListingLinksAndSkippedFoldersWithoutEnteringThem()
      throws IOException {
    String p = project("alice", "VIEWER");
    layout(p);
    var r = as("alice").get(tree(p));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(lines(r.json()))
        .containsExactly(
            ".git dir 0",
            "a.txt file 5",
            "etc link 0",
            "loop link 0",
            "node_modules dir 0",
            "src dir 0",
            "src/Main.java file 13",
            "src/deep dir 0",
            "src/deep/x.ts file 9");
    assertThat(r.json().get("truncated").asBoolean()).isFalse();
  }

  @Test
  void startsAtAFolderAndStopsAtMaxEntries() throws IOException {
    String p = project("alice", "EDITOR");
    layout(p);
    Api api = as("alice");
    JsonNode src = api.get(tree(p) + "?path=src").json();
    assertThat(lines(src))
        .containsExactly("src/Main.java file 13", "src/deep dir 0", "src/deep/x.ts file 9");
    JsonNode two = api.get(tree(p) + "?maxEntries=2").json();
    assertThat(lines(two)).containsExactly(".git dir 0", "a.txt file 5");
    assertThat(two.get("truncated").asBoolean()).isTrue();
    JsonNode exact = api.get(tree(p) + "?path=src&maxEntries=3").json();
    assertThat(exact.get("truncated").asBoolean()).isFalse();
  }

  @Test
  void refusesBadInputWithProblems() throws IOException {
    String p = project("alice", "EDITOR");
    layout(p);
    Api api = as("alice");
    for (String query :
        List.of(
            "?maxEntries=0",
            "?maxEntries=5001",
            "?path=..",
            "?path=/etc",
            "?path=etc",
            "?path=missing")) {
      var r = api.get(tree(p) + query);
      assertThat(r.status()).as(query + " " + r.text()).isBetween(400, 404);
      assertThat(r.header("Content-Type")).as(query).contains("application/problem+json");
    }
    String other = project("bob", "EDITOR");
    assertThat(api.get(tree(other)).status()).isIn(403, 404);
  }
}
