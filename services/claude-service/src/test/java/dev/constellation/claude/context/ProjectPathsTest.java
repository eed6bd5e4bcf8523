package dev.constellation.claude.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectPathsTest {

  @ParameterizedTest
  @ValueSource(strings = {"src/App.java", "README.md", ".github/workflows/ci.yml", "a/b/c..d"})
  void acceptsCleanRelativePaths(String path) {
    assertThat(ProjectPaths.problem(path)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../x",
        "a/../../b",
        "a/..",
        "/etc/passwd",
        "C:/x",
        "a\\b",
        "nul\u0000",
        "a//b",
        "./a",
        "",
        "new\nline"
      })
  void refusesPathsThatCouldLeaveTheProjectOrAreMalformed(String path) {
    assertThat(ProjectPaths.problem(path)).isNotNull();
  }
}
