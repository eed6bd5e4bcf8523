package dev.constellation.workspace.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitRunnerTest {

  @Test
  void sanitizeRemovesTheTokenAndPasswordsInUrls() {
    var credential = new GitRunner.Credential("https-token", "alice", "s3cret-token");
    String message =
        "fatal: unable to access 'https://alice:s3cret-token@host/r.git/': 403 s3cret-token\n";
    String clean = GitRunner.sanitize(message, credential);
    assertThat(clean).doesNotContain("s3cret-token").contains("https://***@host/r.git/");
  }
}
