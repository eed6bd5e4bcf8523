package dev.constellation.workspace.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.constellation.common.problem.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilePathsTest {

  @Test
  void splitsRelativePathsIntoNames() {
    assertThat(FilePaths.parse("src/main/App.java", false))
        .containsExactly("src", "main", "App.java");
    assertThat(FilePaths.parse("..hidden/a..b", false)).containsExactly("..hidden", "a..b");
    assertThat(FilePaths.parse("", true)).isEmpty();
    assertThat(FilePaths.parse(null, true)).isEqualTo(List.of());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        "../x",
        "a/../b",
        "a/..",
        "/etc/passwd",
        "/",
        "a\\b",
        "..\\x",
        "a\u0000b",
        "a//b",
        "a/",
        "./a",
        "a/./b",
        "\u2024\u2024/x",
        "\u2025/etc",
        "a\uff0fb",
        "a\u2215b",
        "a\uff3cb",
        "\uff0e\uff0e/x",
        "a\nb"
      })
  void refusesPathsThatCouldLeaveTheRootOrAreAmbiguous(String path) {
    assertThatThrownBy(() -> FilePaths.parse(path, true))
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).type()).isEqualTo("invalid-path"));
  }

  @Test
  void theRootIsRefusedWhereAFileIsNeeded() {
    assertThatThrownBy(() -> FilePaths.parse("", false)).isInstanceOf(ApiException.class);
  }

  @Test
  void refusesOverlongNames() {
    assertThatThrownBy(() -> FilePaths.parse("a".repeat(256), false))
        .isInstanceOf(ApiException.class);
    assertThat(FilePaths.parse("a".repeat(255), false)).hasSize(1);
  }

  @Test
  void etagsAreStrongAndIfMatchAcceptsListsAndStar() {
    String tag = ProjectFiles.etagOf("x".getBytes());
    assertThat(tag).startsWith("\"").endsWith("\"").hasSize(66);
    assertThat(ProjectFiles.etagMatches("\"other\", " + tag, tag)).isTrue();
    assertThat(ProjectFiles.etagMatches("*", tag)).isTrue();
    assertThat(ProjectFiles.etagMatches("*", null)).isFalse();
    assertThat(ProjectFiles.etagMatches("W/" + tag, tag)).isFalse();
  }
}
