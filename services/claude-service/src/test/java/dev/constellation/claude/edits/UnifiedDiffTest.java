package dev.constellation.claude.edits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

  @Test
  void oneChangedLineGivesOneHunkWithThreeLinesOfContext() {
    String before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    String after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
    assertThat(UnifiedDiff.of("f.txt", before, after))
        .isEqualTo(
            """
        --- a/f.txt
        +++ b/f.txt
        @@ -2,7 +2,7 @@
         2
         3
         4
        -5
        +five
         6
         7
         8
        """);
  }

  @Test
  void distantChangesGetSeparateHunks() {
    StringBuilder before = new StringBuilder();
    for (int i = 1; i <= 30; i++) before.append(i).append('\n');
    String after =
        before.toString().replace("\n2\n", "\ntwo\n").replace("\n28\n", "\ntwenty-eight\n");
    String diff = UnifiedDiff.of("f", before.toString(), after);
    assertThat(diff)
        .contains("@@ -1,5 +1,5 @@", "@@ -25,6 +25,6 @@", "-2\n+two\n", "-28\n+twenty-eight\n");
  }

  @Test
  void appendedLinesCountFromTheEnd() {
    assertThat(UnifiedDiff.of("f", "a\n", "a\nb\n"))
        .isEqualTo("--- a/f\n+++ b/f\n@@ -1,1 +1,2 @@\n a\n+b\n");
  }

  @Test
  void identicalTextsGiveNoDiff() {
    assertThat(UnifiedDiff.of("f", "same\n", "same\n")).isEmpty();
  }
}
