package dev.constellation.workspace.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class DiffHunksTest {
  private static final String DIFF =
      """
      diff --git a/f b/f
      index e8823e1..d1953f4 100644
      --- a/f
      +++ b/f
      @@ -3 +3,2 @@
      -3
      +3a
      +3b
      @@ -15 +16 @@ fifteen
      -15
      +X
      @@ -25,0 +27 @@
      +
      \\ No newline at end of file
      """;

  @Test
  void splitsTheDiffAtItsHunkHeaders() {
    DiffHunks d = DiffHunks.parse(DIFF);
    assertThat(d.header()).startsWith("diff --git a/f b/f\n").endsWith("+++ b/f\n");
    assertThat(d.hunks()).hasSize(3);
    DiffHunks.Hunk first = d.hunks().get(0);
    assertThat(first.header()).isEqualTo("@@ -3 +3,2 @@");
    assertThat(first.oldStart()).isEqualTo(3);
    assertThat(first.oldLines()).isEqualTo(1);
    assertThat(first.newStart()).isEqualTo(3);
    assertThat(first.newLines()).isEqualTo(2);
    DiffHunks.Hunk third = d.hunks().get(2);
    assertThat(third.oldLines()).isZero();
    assertThat(third.newStart()).isEqualTo(27);
    assertThat(third.text()).isEqualTo("@@ -25,0 +27 @@\n+\n\\ No newline at end of file\n");
  }

  @Test
  void aPatchOfChosenHunksKeepsTheHeaderAndOnlyThoseHunks() {
    String patch = DiffHunks.parse(DIFF).patchOf(Set.of(0, 2));
    assertThat(patch)
        .isEqualTo(
            """
            diff --git a/f b/f
            index e8823e1..d1953f4 100644
            --- a/f
            +++ b/f
            @@ -3 +3,2 @@
            -3
            +3a
            +3b
            @@ -25,0 +27 @@
            +
            \\ No newline at end of file
            """);
  }

  @Test
  void anEmptyDiffHasNoHunks() {
    assertThat(DiffHunks.parse("").hunks()).isEmpty();
  }
}
