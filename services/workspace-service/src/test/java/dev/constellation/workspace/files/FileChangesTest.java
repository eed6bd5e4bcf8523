package dev.constellation.workspace.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.workspace.files.FileChanges.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileChangesTest {
  private final FileChanges changes = new FileChanges(3);

  @Test
  void aBurstOfWritesToOneFileIsOneChange() {
    changes.add("a.txt", Kind.modified);
    changes.add("a.txt", Kind.modified);
    changes.add("a.txt", Kind.modified);

    assertThat(changes.drain())
        .isEqualTo(
            Map.of(
                "changes",
                List.of(Map.of("path", "a.txt", "kind", "modified")),
                "overflow",
                false));
  }

  @Test
  void aNewFileWrittenToStaysCreated() {
    changes.add("a.txt", Kind.created);
    changes.add("a.txt", Kind.modified);

    assertThat(changes.drain().get("changes"))
        .isEqualTo(List.of(Map.of("path", "a.txt", "kind", "created")));
  }

  @Test
  void aFileReplacedWithinTheWindowIsModifiedAndARemovedOneDeleted() {
    changes.add("a.txt", Kind.deleted);
    changes.add("a.txt", Kind.created);
    changes.add("b.txt", Kind.created);
    changes.add("b.txt", Kind.deleted);

    assertThat(changes.drain().get("changes"))
        .isEqualTo(
            List.of(
                Map.of("path", "a.txt", "kind", "modified"),
                Map.of("path", "b.txt", "kind", "deleted")));
  }

  @Test
  void moreChangesThanTheCapBecomeOneOverflow() {
    for (int i = 0; i < 10; i++) changes.add("f" + i, Kind.created);

    assertThat(changes.drain()).isEqualTo(Map.of("changes", List.of(), "overflow", true));
    assertThat(changes.drain()).as("a fresh start after the overflow was sent").isNull();
  }

  @Test
  void nothingChangedIsNoEvent() {
    assertThat(changes.isEmpty()).isTrue();
    assertThat(changes.drain()).isNull();
  }
}
