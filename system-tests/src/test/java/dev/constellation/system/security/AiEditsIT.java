package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.SystemStack;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What exists of "the agent" today is the {@code propose_edits} tool: the model proposes, the
 * user's own client applies through the file API. So the model's paths must never lead out of the
 * project, and applying runs with the caller's rights, never the service's.
 */
class AiEditsIT {
  private final AiClient ai = new AiClient();

  @Test
  @Checklist({"B27"})
  void proposedEditsOutsideTheProjectAreRefusedAndNothingIsWritten() throws Exception {
    AiClient.User owner = ai.register("proposer");
    String projectId = ai.project(owner);
    Path outside =
        Files.createDirectories(SystemStack.dataDir().resolve("outside-" + UUID.randomUUID()));
    String name = "escape-" + UUID.randomUUID().toString().substring(0, 8) + ".txt";
    List<String> hostile =
        List.of(
            "../" + name,
            "../../" + name,
            outside + "/" + name,
            "src/../../" + name,
            "..\\" + name,
            "./" + name,
            "src//../" + name);

    for (String path : hostile) {
      HttpResponse<String> r =
          ai.proposeEdits(owner, projectId, "FAKE-EDIT-PATH:" + path + " write it");
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      JsonNode body = AiClient.JSON.readTree(r.body());
      assertThat(body.path("edits")).as(path).isEmpty();
      assertThat(body.path("rejected").get(0).path("path").asString()).isEqualTo(path);
    }
    Path projectDir = SystemStack.dataDir().resolve("workspaces").resolve(projectId);
    assertThat(projectDir.getParent().resolve(name)).doesNotExist();
    assertThat(projectDir.getParent().getParent().resolve(name)).doesNotExist();
    assertThat(outside.resolve(name)).doesNotExist();
  }

  @Test
  @Checklist({"B27"})
  void anEditThroughASymlinkNeitherReadsNorWritesItsTarget() throws Exception {
    AiClient.User owner = ai.register("linker");
    String projectId = ai.project(owner);
    Path outside =
        Files.createDirectories(SystemStack.dataDir().resolve("outside-" + UUID.randomUUID()));
    Files.writeString(outside.resolve("secret.txt"), "outside-secret-7f3a\n");
    // What a process in the workspace could do: links inside the project to a host directory and
    // file.
    Path projectDir = SystemStack.dataDir().resolve("workspaces").resolve(projectId);
    Files.createSymbolicLink(projectDir.resolve("linked"), outside);
    Files.createSymbolicLink(projectDir.resolve("secret.txt"), outside.resolve("secret.txt"));

    // The model is shown the file and proposes a change; the target's content must not reach it.
    HttpResponse<String> proposal =
        ai.proposeEdits(
            owner, projectId, "FAKE-EDIT-PATH:secret.txt change it", List.of("secret.txt"));
    assertThat(proposal.statusCode()).as(proposal.body()).isIn(200, 400, 404);
    assertThat(proposal.body()).doesNotContain("outside-secret-7f3a");
    HttpResponse<String> viaDir =
        ai.proposeEdits(owner, projectId, "FAKE-EDIT-PATH:linked/new.txt create it");
    assertThat(viaDir.statusCode()).as(viaDir.body()).isEqualTo(200);

    // Applied as the UI applies it, through the file API: refused, the host files untouched.
    assertThat(ai.writeFile(owner, projectId, "secret.txt", "overwritten").statusCode())
        .isBetween(400, 499);
    assertThat(ai.writeFile(owner, projectId, "linked/new.txt", "planted").statusCode())
        .isBetween(400, 499);
    assertThat(ai.readFile(owner, projectId, "secret.txt").body())
        .doesNotContain("outside-secret-7f3a");
    assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("outside-secret-7f3a\n");
    assertThat(outside.resolve("new.txt")).doesNotExist();
  }

  @Test
  @Checklist({"B27"})
  void applyingEditsUsesTheCallersRightsSoAViewerCannot() throws Exception {
    AiClient.User owner = ai.register("owner");
    AiClient.User viewer = ai.register("viewer");
    String projectId = ai.project(owner);
    ai.addMember(owner, projectId, viewer, "VIEWER");
    String before = ai.readFile(owner, projectId, "src/server.js").body();

    HttpResponse<String> asViewer =
        ai.proposeEdits(viewer, projectId, "Add a comment to src/server.js");
    assertThat(asViewer.statusCode()).as(asViewer.body()).isEqualTo(403);

    HttpResponse<String> proposal =
        ai.proposeEdits(
            owner, projectId, "Add a comment to src/server.js", List.of("src/server.js"));
    assertThat(proposal.statusCode()).as(proposal.body()).isEqualTo(200);
    JsonNode edit = AiClient.JSON.readTree(proposal.body()).path("edits").get(0);
    assertThat(edit.path("path").asString()).isEqualTo("src/server.js");

    // The viewer got hold of the proposal and applies it: the file API decides with the viewer's
    // role.
    HttpResponse<String> applied =
        ai.writeFile(
            viewer, projectId, edit.path("path").asString(), edit.path("content").asString());
    assertThat(applied.statusCode()).as(applied.body()).isEqualTo(403);
    assertThat(ai.readFile(owner, projectId, "src/server.js").body()).isEqualTo(before);

    assertThat(
            ai.writeFile(
                    owner, projectId, edit.path("path").asString(), edit.path("content").asString())
                .statusCode())
        .isEqualTo(200);
    assertThat(ai.readFile(owner, projectId, "src/server.js").body())
        .startsWith("// edited by the assistant");
  }
}
