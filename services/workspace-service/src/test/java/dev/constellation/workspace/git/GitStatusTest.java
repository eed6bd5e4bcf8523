package dev.constellation.workspace.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitStatusTest {

  @Test
  void readsBranchUpstreamAndAheadBehind() {
    GitStatus s =
        GitStatus.parse(
            "# branch.oid 0559b44b\0# branch.head main\0# branch.upstream origin/main\0"
                + "# branch.ab +2 -3\0");
    assertThat(s.repository()).isTrue();
    assertThat(s.branch()).isEqualTo("main");
    assertThat(s.detached()).isFalse();
    assertThat(s.upstream()).isEqualTo("origin/main");
    assertThat(s.ahead()).isEqualTo(2);
    assertThat(s.behind()).isEqualTo(3);
    assertThat(s.files()).isEmpty();
  }

  @Test
  void detachedHeadHasNoBranch() {
    GitStatus s = GitStatus.parse("# branch.oid abc\0# branch.head (detached)\0");
    assertThat(s.detached()).isTrue();
    assertThat(s.branch()).isNull();
  }

  @Test
  void readsOrdinaryRenamedUnmergedAndUntrackedEntriesWithSpacesInNames() {
    String h = "0559b44b18938e86601f3c0f34e3698c327b5ffa";
    String porcelain =
        "1 .M N... 100644 100644 100644 "
            + h
            + " "
            + h
            + " src/my file.txt\0"
            + "1 A. N... 000000 100644 100644 "
            + h
            + " "
            + h
            + " new.txt\0"
            + "2 R. N... 100644 100644 100644 "
            + h
            + " "
            + h
            + " R100 renamed to.txt\0old name.txt\0"
            + "u UU N... 100644 100644 100644 100644 "
            + h
            + " "
            + h
            + " "
            + h
            + " both.txt\0"
            + "1 T. N... 100644 120000 120000 "
            + h
            + " "
            + h
            + " link\0"
            + "? untracked dir/x.md\0";
    GitStatus s = GitStatus.parse(porcelain);
    assertThat(s.files())
        .containsExactly(
            new GitStatus.FileStatus("src/my file.txt", null, ".", "M", false),
            new GitStatus.FileStatus("new.txt", null, "A", ".", false),
            new GitStatus.FileStatus("renamed to.txt", "old name.txt", "R", ".", false),
            new GitStatus.FileStatus("both.txt", null, "U", "U", true),
            new GitStatus.FileStatus("link", null, "M", ".", false),
            new GitStatus.FileStatus("untracked dir/x.md", null, "?", "?", false));
  }
}
