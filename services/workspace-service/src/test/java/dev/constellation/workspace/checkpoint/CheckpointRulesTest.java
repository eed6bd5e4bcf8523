package dev.constellation.workspace.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.constellation.common.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CheckpointRulesTest {
  private static final Path ROOT = Path.of("/srv/workspaces");

  @Test
  void theStoreDefaultsToAFolderBesideTheProjectsThatNoProjectIdCanName() {
    assertThat(CheckpointStore.resolve(null, ROOT)).isEqualTo(ROOT.resolve(".checkpoints"));
    assertThat(CheckpointStore.resolve(Path.of(""), ROOT)).isEqualTo(ROOT.resolve(".checkpoints"));
    assertThat(CheckpointStore.resolve(Path.of("/var/lib/cp"), ROOT))
        .isEqualTo(Path.of("/var/lib/cp"));
    assertThat(CheckpointStore.resolve(Path.of("/srv/workspaces/.other"), ROOT))
        .isEqualTo(ROOT.resolve(".other"));
  }

  @Test
  void refusesAStoreInsideAProjectOrAboveTheProjects() {
    for (String inside :
        new String[] {
          "/srv/workspaces/p123/.cp", "/srv/workspaces/p123", "/srv/workspaces/x/../p1/cp"
        }) {
      assertThatThrownBy(() -> CheckpointStore.resolve(Path.of(inside), ROOT))
          .as(inside)
          .isInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(() -> CheckpointStore.resolve(Path.of("/srv"), ROOT))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> CheckpointStore.resolve(ROOT, ROOT))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void idsAreSixteenHexDigitsAndNothingElse() {
    assertThat(CheckpointStore.isValidId(CheckpointStore.newId())).isTrue();
    for (String bad : new String[] {"", "../../HEAD", "0123456789ABCDEF", "0123456789abcde", null})
      assertThat(CheckpointStore.isValidId(bad)).as(String.valueOf(bad)).isFalse();
  }

  @Test
  void labelsAreOneLineOfAtMostAHundredCharacters() {
    assertThat(CheckpointsController.label(null)).isEqualTo("Checkpoint");
    assertThat(CheckpointsController.label("  Before turn 2 ")).isEqualTo("Before turn 2");
    assertThat(CheckpointsController.label("é".repeat(100))).hasSize(100);
    assertThatThrownBy(() -> CheckpointsController.label("x".repeat(101)))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("100 characters");
    assertThatThrownBy(() -> CheckpointsController.label("one\ntwo"))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void onlyValidUtf8WithoutNulIsShownAsText() {
    assertThat(CheckpointService.isText("héllo\n".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(CheckpointService.isText(new byte[] {'a', 0, 'b'})).isFalse();
    byte[] lateInvalid = new byte[20_000];
    java.util.Arrays.fill(lateInvalid, (byte) 'a');
    lateInvalid[19_999] = (byte) 0xC3;
    assertThat(CheckpointService.isText(lateInvalid))
        .as("invalid UTF-8 past the first 8 KB")
        .isFalse();
  }
}
