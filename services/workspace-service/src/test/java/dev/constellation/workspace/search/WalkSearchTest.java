package dev.constellation.workspace.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.files.TestTrees;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WalkSearchTest {
  private static final String PROJECT = "p-walk";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path root;
  @TempDir Path outside;
  private Path project;
  private WalkSearch walk;

  @BeforeEach
  void setUp() throws Exception {
    project = Files.createDirectories(root.resolve(PROJECT));
    walk = new WalkSearch(TestTrees.walker(root));
  }

  private void write(String path, String content) throws Exception {
    Path file = project.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  record Found(List<String> hits, JsonNode done) {}

  private Found search(String query, boolean regex, boolean cased, boolean word, int cap)
      throws Exception {
    return search(SearchPattern.of(query, regex, cased, word), Globs.of(List.of(), List.of()), cap);
  }

  private Found search(SearchPattern pattern, Globs globs, int cap) throws Exception {
    var out = new ByteArrayOutputStream();
    var sink = new SearchSink(out, JSON, cap, System.nanoTime() + 10_000_000_000L);
    walk.search(PROJECT, pattern, globs, sink);
    sink.done(WalkSearch.ENGINE);
    List<String> hits = new ArrayList<>();
    JsonNode done = null;
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      JsonNode node = JSON.readTree(line);
      if (node.path("done").asBoolean()) {
        done = node;
        continue;
      }
      for (JsonNode m : node.path("matches"))
        hits.add(
            node.path("path").asString()
                + ":"
                + m.path("line").asInt()
                + ":"
                + m.path("column").asInt()
                + ":"
                + m.path("length").asInt());
    }
    return new Found(hits, done);
  }

  @Test
  void findsLinesAndColumnsForPlainCaseWholeWordAndRegex() throws Exception {
    write("a.ts", "const Alpha = 1;\r\nlet alphabet;\n");
    write("b/c.js", "x \u00e9 alpha()\n");

    assertThat(search("alpha", false, false, false, 100).hits())
        .containsExactly("a.ts:1:7:5", "a.ts:2:5:5", "b/c.js:1:5:5");
    assertThat(search("alpha", false, true, false, 100).hits())
        .containsExactly("a.ts:2:5:5", "b/c.js:1:5:5");
    assertThat(search("alpha", false, false, true, 100).hits())
        .containsExactly("a.ts:1:7:5", "b/c.js:1:5:5");
    assertThat(search("alp(h)a\\(\\)", true, false, false, 100).hits())
        .containsExactly("b/c.js:1:5:7");
    // Literal text with regex characters is taken as typed.
    assertThat(search("alpha()", false, false, false, 100).hits()).containsExactly("b/c.js:1:5:7");
  }

  @Test
  void honoursNestedGitignoresWithNegationAndNeverSearchesGitMetadata() throws Exception {
    write(".gitignore", "*.log\nbuild/\n");
    write("sub/.gitignore", "!keep.log\n");
    write("app.log", "needle\n");
    write("sub/keep.log", "needle\n");
    write("build/out.js", "needle\n");
    write(".git/config", "needle\n");
    write(".hidden/x", "needle\n");
    assertThat(search("needle", false, false, false, 100).hits())
        .containsExactly(".hidden/x:1:1:6", "sub/keep.log:1:1:6");
  }

  @Test
  void includeAndExcludeGlobsFollowGitignoreSyntax() throws Exception {
    write("src/a.ts", "needle\n");
    write("src/deep/b.ts", "needle\n");
    write("src/c.js", "needle\n");
    write("node_modules/m/i.ts", "needle\n");
    SearchPattern needle = SearchPattern.of("needle", false, false, false);
    assertThat(search(needle, Globs.of(List.of("*.ts"), List.of("node_modules")), 100).hits())
        .containsExactly("src/a.ts:1:1:6", "src/deep/b.ts:1:1:6");
    assertThat(search(needle, Globs.of(List.of("src/**"), List.of("deep")), 100).hits())
        .containsExactly("src/a.ts:1:1:6", "src/c.js:1:1:6");
    assertThatThrownBy(() -> Globs.of(List.of("!x"), List.of())).isInstanceOf(ApiException.class);
  }

  @Test
  void neverFollowsLinksOutOfTheProjectOrRoundALoop() throws Exception {
    Files.writeString(outside.resolve("secret.txt"), "needle outside\n");
    write("inside.txt", "needle inside\n");
    Files.createSymbolicLink(project.resolve("to-outside"), outside);
    Files.createSymbolicLink(project.resolve("to-secret.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(project.resolve("loop"), project);
    Files.createSymbolicLink(project.resolve("etc"), Path.of("/etc"));
    Found found = search("needle|root:", true, false, false, 100);
    assertThat(found.hits()).containsExactly("inside.txt:1:1:6");
  }

  @Test
  void capsMatchesAndSkipsBinaryAndLargeFiles() throws Exception {
    write("many.txt", "x\n".repeat(50));
    Files.write(project.resolve("bin.dat"), new byte[] {'x', 0, 'x'});
    write("large.txt", "x".repeat((int) WalkSearch.MAX_FILE_BYTES + 1));
    Found capped = search("x", false, false, false, 10);
    assertThat(capped.hits()).hasSize(10).allMatch(h -> h.startsWith("many.txt:"));
    assertThat(capped.done().path("limitHit").asBoolean()).isTrue();
    assertThat(capped.done().path("truncated").asBoolean()).isTrue();
    Found all = search("x", false, false, false, 1000);
    assertThat(all.hits()).hasSize(50);
    assertThat(all.done().path("limitHit").asBoolean()).isFalse();
  }

  @Test
  void refusesBadOrEmptyQueries() {
    assertThatThrownBy(() -> SearchPattern.of("(", true, false, false))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("The regular expression is not valid");
    assertThatThrownBy(() -> SearchPattern.of("", false, false, false))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> SearchPattern.of("a*", true, false, false))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void replacementUsesGroupsKeepsLineEndingsAndIsLiteralForPlainText() {
    SearchPattern regex = SearchPattern.of("f(o+)", true, true, false);
    assertThat(ReplaceService.replace("foo x\r\nfoo\n", regex, "<$1>"))
        .isEqualTo(new ReplaceService.Replaced("<oo> x\r\n<oo>\n", 2));
    SearchPattern plain = SearchPattern.of("a.b", false, true, false);
    assertThat(ReplaceService.replace("a.b axb", plain, "$1"))
        .isEqualTo(new ReplaceService.Replaced("$1 axb", 1));
  }

  @Test
  void ripgrepNeverFollowsLinksAndGetsTheSameExpression() {
    List<String> argv =
        RipgrepSearch.command(
            SearchPattern.of("a.b", false, false, true),
            Globs.of(List.of("*.ts"), List.of("dist")),
            5);
    assertThat(argv).contains("--no-follow", "--json").doesNotContain("-L", "--follow");
    assertThat(argv).containsSubsequence("--glob", "*.ts", "--glob", "!dist");
    assertThat(argv).containsSubsequence("-e", "(?i)\\b(?:a\\.b)\\b", "--", ".");
  }
}
