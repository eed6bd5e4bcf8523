package dev.constellation.workspace.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.constellation.common.problem.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GitUrlsTest {

  @ParameterizedTest
  @CsvSource({
    "https://github.com/org/repo.git, github.com",
    "http://198.18.0.10:8080/repo.git, 198.18.0.10",
    "https://alice@GitLab.example.com/g/r, gitlab.example.com",
    "ssh://git@example.com:2222/org/repo.git, example.com",
    "git@github.com:org/repo.git, github.com",
    "example.com:org/repo, example.com"
  })
  void acceptsHttpSshAndScpLikeUrlsAndNamesTheirHost(String url, String host) {
    assertThat(GitUrls.requireValid(url)).isEqualTo(host);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///etc",
        "/etc/passwd",
        "../other-project",
        "ext::sh -c id",
        "ext::sh",
        "fd::17",
        "-uid",
        "--upload-pack=touch /tmp/x",
        "https://user:token@github.com/org/repo",
        "git://example.com/repo",
        "ftp://example.com/repo",
        "https://exa mple.com/r",
        "https:///nohost",
        "./local:repo",
        "",
        "  "
      })
  void refusesEverythingElse(String url) {
    assertThatThrownBy(() -> GitUrls.requireValid(url))
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).status().value()).isEqualTo(400));
  }

  @ParameterizedTest
  @ValueSource(strings = {"git@github.com:org/r", "ssh://h/r"})
  void sshUrlsAreSsh(String url) {
    assertThat(GitUrls.isSsh(url)).isTrue();
  }
}
