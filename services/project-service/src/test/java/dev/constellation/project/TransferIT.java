package dev.constellation.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TransferIT extends IntegrationTest {

  @Test
  void exportStreamsExactlyTheProjectsFiles() throws IOException {
    String token = Api.token(Api.newUserId());
    String id = createProject(token, "Export me", "node").get("id").asString();
    Path dir = WORKSPACES.resolve(id);
    byte[] big = new byte[3 * 1024 * 1024];
    new Random(7).nextBytes(big);
    Files.createDirectories(dir.resolve("assets/deep"));
    Files.write(dir.resolve("assets/deep/blob.bin"), big);
    Files.createSymbolicLink(dir.resolve("escape"), Path.of("/etc"));

    var response = api.get("/api/projects/" + id + "/export", token);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/zip");
    assertThat(response.headers().firstValue("Content-Disposition"))
        .hasValueSatisfying(v -> assertThat(v).contains("Export-me.zip"));
    // A streamed body has no length known in advance.
    assertThat(response.headers().firstValue("Content-Length")).isEmpty();

    Map<String, byte[]> exported = Zips.read(response.bytes());
    Map<String, byte[]> onDisk = ProjectsIT.filesOf(dir);
    onDisk.remove("escape");
    assertThat(exported.keySet())
        .isEqualTo(onDisk.keySet())
        .contains("package.json", "assets/deep/blob.bin");
    onDisk.forEach((name, bytes) -> assertThat(exported.get(name)).as(name).isEqualTo(bytes));
  }

  @Test
  void importStripsTheSingleTopFolderAndRecordsTheProject() throws IOException {
    String token = Api.token(Api.newUserId());
    byte[] zip =
        Zips.ofText(
            "repo-main/", "", "repo-main/README.md", "# hi", "repo-main/src/app.py", "print(1)");

    var response = api.importZip(token, zip, "  Imported  ");
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    JsonNode p = response.json();
    assertThat(p.get("name").asString()).isEqualTo("Imported");
    assertThat(p.get("members").get(0).get("role").asString()).isEqualTo("OWNER");
    Map<String, byte[]> files = ProjectsIT.filesOf(WORKSPACES.resolve(p.get("id").asString()));
    assertThat(files.keySet()).containsExactlyInAnyOrder("README.md", "src/app.py");
    assertThat(new String(files.get("src/app.py"))).isEqualTo("print(1)");
    assertThat(api.get("/api/projects/" + p.get("id").asString(), token).status()).isEqualTo(200);
  }

  @Test
  void importKeepsTheLayoutWhenThereAreSeveralTopLevelEntries() throws IOException {
    String token = Api.token(Api.newUserId());
    var response = api.importZip(token, Zips.ofText("a/one.txt", "1", "b.txt", "2"), "Flat");
    assertThat(response.status()).isEqualTo(201);
    assertThat(
            ProjectsIT.filesOf(WORKSPACES.resolve(response.json().get("id").asString())).keySet())
        .containsExactlyInAnyOrder("a/one.txt", "b.txt");
  }

  @Test
  void anExportedProjectImportsBackUnchanged() throws IOException {
    String token = Api.token(Api.newUserId());
    String id = createProject(token, "Round trip", "java-maven").get("id").asString();
    byte[] exported = api.get("/api/projects/" + id + "/export", token).bytes();
    var imported = api.importZip(token, exported, "Round trip copy");
    assertThat(imported.status()).isEqualTo(201);
    Map<String, byte[]> original = ProjectsIT.filesOf(WORKSPACES.resolve(id));
    Map<String, byte[]> copy =
        ProjectsIT.filesOf(WORKSPACES.resolve(imported.json().get("id").asString()));
    assertThat(copy.keySet()).isEqualTo(original.keySet());
    original.forEach((name, bytes) -> assertThat(copy.get(name)).isEqualTo(bytes));
  }

  @Test
  void importNeedsANameAndAFile() {
    String token = Api.token(Api.newUserId());
    byte[] zip = Zips.ofText("a.txt", "a");
    assertThat(api.importZip(token, zip, null).json().get("title").asString()).contains("name");
    assertThat(api.importZip(token, zip, "n".repeat(101)).status()).isEqualTo(400);
    assertThat(api.importZip(token, null, "No file").json().get("title").asString())
        .contains("file");
  }

  @Test
  void anUploadOverTheSizeLimitGets413() {
    byte[] tooBig = new byte[5 * 1024 * 1024];
    var response = api.importZip(Api.token(Api.newUserId()), tooBig, "Too big");
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.json().get("type").asString()).endsWith("/too-large");
  }
}
