package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Checkpoints against real files on disk: taken, diffed and restored through the service's routes
 * (the shared context keeps at most 4 checkpoints and 4 MB per project).
 */
class CheckpointsIT extends DockerStack {

  private static String checkpoints(String p) {
    return "/api/projects/" + p + "/checkpoints";
  }

  private static Path checkpointStore(String p) {
    return ROOT.resolve(".checkpoints").resolve(p + ".git");
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** sha-256 of every regular file below the project, by relative path (links left out). */
  private static Map<String, String> hashes(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (!Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path));
        out.put(dir.relativize(path).toString(), HexFormat.of().formatHex(digest));
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode create(Api api, String p, String label) {
    var r = api.post(checkpoints(p), label == null ? null : "{\"label\":\"" + label + "\"}");
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json();
  }

  private static Map<String, String> statuses(JsonNode diff) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode f : diff.get("files"))
      out.put(f.get("path").asString(), f.get("status").asString());
    return out;
  }

  @Test
  void restoreBringsEveryFileBackByteForByteAndRemovesFilesAddedSince() throws IOException {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    Path dir = ROOT.resolve(p);
    write(dir.resolve("README.md"), "# Hello\n".getBytes(StandardCharsets.UTF_8));
    write(dir.resolve("src/main.py"), "print('one')\n".getBytes(StandardCharsets.UTF_8));
    write(dir.resolve("src/gone.txt"), "to be deleted\n".getBytes(StandardCharsets.UTF_8));
    write(dir.resolve("assets/logo.bin"), random(200_000, 1));
    write(dir.resolve("big.bin"), random(1_100_000, 2)); // over the files API's 1 MB here
    write(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n".getBytes(StandardCharsets.UTF_8));
    Path hostFile = Files.createTempFile("host-secret", ".txt");
    Files.writeString(hostFile, "host");
    Files.createSymbolicLink(dir.resolve("link-to-host"), hostFile);
    Map<String, String> before = hashes(dir);

    JsonNode cp = create(api, p, "Before agent turn 1");
    assertThat(cp.get("id").asString()).matches("[0-9a-f]{16}");
    assertThat(cp.get("label").asString()).isEqualTo("Before agent turn 1");
    assertThat(cp.get("createdBy").asString()).isEqualTo("alice");
    assertThat(cp.get("fileCount").asInt()).isEqualTo(4);
    assertThat(cp.get("bytes").asLong()).isEqualTo(8 + 13 + 14 + 200_000);
    assertThat(cp.get("skipped").toString()).contains("big.bin", "link-to-host");
    assertThat(cp.get("skipped").toString()).doesNotContain(".git");
    String id = cp.get("id").asString();

    // The agent changes things: a text edit, a binary edit, a deletion, new files and folders.
    write(dir.resolve("src/main.py"), "print('two')\n".getBytes(StandardCharsets.UTF_8));
    write(dir.resolve("assets/logo.bin"), random(200_000, 3));
    Files.delete(dir.resolve("src/gone.txt"));
    write(dir.resolve("new/deep/added.txt"), "added\n".getBytes(StandardCharsets.UTF_8));
    write(dir.resolve("new/blob.bin"), random(5_000, 4));
    write(dir.resolve(".git/HEAD"), "ref: refs/heads/other\n".getBytes(StandardCharsets.UTF_8));

    var diff = api.get(checkpoints(p) + "/" + id + "/diff");
    assertThat(diff.status()).as(diff.text()).isEqualTo(200);
    assertThat(statuses(diff.json()))
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "assets/logo.bin", "modified",
                    "new/blob.bin", "added",
                    "new/deep/added.txt", "added",
                    "src/gone.txt", "deleted",
                    "src/main.py", "modified")));
    for (JsonNode f : diff.json().get("files")) {
      switch (f.get("path").asString()) {
        case "src/main.py" -> {
          assertThat(f.get("before").asString()).isEqualTo("print('one')\n");
          assertThat(f.get("after").asString()).isEqualTo("print('two')\n");
          assertThat(f.get("binary").asBoolean()).isFalse();
        }
        case "assets/logo.bin" -> {
          assertThat(f.get("binary").asBoolean()).isTrue();
          assertThat(f.has("before") && !f.get("before").isNull()).isFalse();
          assertThat(f.get("beforeSize").asLong()).isEqualTo(200_000);
        }
        case "src/gone.txt" -> assertThat(f.get("before").asString()).isEqualTo("to be deleted\n");
        default -> {}
      }
    }

    var restore = api.post(checkpoints(p) + "/" + id + "/restore", null);
    assertThat(restore.status()).as(restore.text()).isEqualTo(200);
    assertThat(restore.json().get("restored").toString())
        .contains("src/main.py", "assets/logo.bin", "src/gone.txt")
        .doesNotContain("README.md");
    assertThat(restore.json().get("deleted").toString())
        .contains("new/deep/added.txt", "new/blob.bin");
    String undo = restore.json().get("undoCheckpointId").asString();

    Map<String, String> after = hashes(dir);
    // Everything byte-identical except the user's own .git, which is not ours to roll back.
    Map<String, String> expected = new TreeMap<>(before);
    expected.remove(".git/HEAD");
    after.remove(".git/HEAD");
    assertThat(after).isEqualTo(expected);
    assertThat(Files.exists(dir.resolve("new"))).as("emptied folders are tidied").isFalse();
    assertThat(Files.readString(dir.resolve(".git/HEAD"))).contains("other");
    assertThat(Files.isSymbolicLink(dir.resolve("link-to-host"))).isTrue();
    assertThat(Files.readString(hostFile)).isEqualTo("host");

    // The restore can itself be undone.
    var list = api.get(checkpoints(p)).json();
    assertThat(list.get(0).get("id").asString()).isEqualTo(undo);
    assertThat(list.get(0).get("label").asString())
        .isEqualTo("Before restoring “Before agent turn 1”");
    assertThat(list.get(1).get("id").asString()).isEqualTo(id);
    assertThat(api.post(checkpoints(p) + "/" + undo + "/restore", null).status()).isEqualTo(200);
    assertThat(Files.readString(dir.resolve("src/main.py"))).isEqualTo("print('two')\n");
    assertThat(Files.readString(dir.resolve("new/deep/added.txt"))).isEqualTo("added\n");
    assertThat(Files.exists(dir.resolve("src/gone.txt"))).isFalse();

    // Stored beside the projects, in none of them, and never as a .git of the project.
    assertThat(Files.isDirectory(checkpointStore(p).resolve("objects"))).isTrue();
    assertThat(hashes(dir).keySet()).noneMatch(path -> path.contains("refs/checkpoints"));
  }

  @Test
  void anUnchangedFileCostsNothingInTheNextCheckpoint() throws IOException {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    write(ROOT.resolve(p).resolve("data.bin"), random(1_000_000, 5));
    create(api, p, "one");
    long first = sizeOf(checkpointStore(p).resolve("objects"));
    create(api, p, "two");
    long second = sizeOf(checkpointStore(p).resolve("objects"));
    // A commit and a tree (a few hundred bytes), not another megabyte.
    assertThat(second - first).isLessThan(10_000);
  }

  @Test
  void theOldestCheckpointsAreDroppedBeyondTheCountAndTheirObjectsPruned() throws IOException {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    Path file = ROOT.resolve(p).resolve("f.txt");
    byte[] firstContent = "version 0\n".getBytes(StandardCharsets.UTF_8);
    write(file, firstContent);
    String oldest = create(api, p, "v0").get("id").asString();
    for (int i = 1; i <= 5; i++) {
      write(file, ("version " + i + "\n").getBytes(StandardCharsets.UTF_8));
      create(api, p, "v" + i);
    }
    JsonNode list = api.get(checkpoints(p)).json();
    assertThat(list.size()).isEqualTo(4);
    assertThat(list.get(0).get("label").asString()).isEqualTo("v5");
    assertThat(list.get(3).get("label").asString()).isEqualTo("v2");
    assertThat(api.get(checkpoints(p) + "/" + oldest + "/diff").status()).isEqualTo(404);
    try (Repository repo =
        new FileRepositoryBuilder().setGitDir(checkpointStore(p).toFile()).setBare().build()) {
      var blob = new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, firstContent);
      assertThat(repo.getObjectDatabase().has(blob)).as("the dropped version is pruned").isFalse();
    }
  }

  @Test
  void aProjectOverTheByteCapIsRefusedAndOldCheckpointsMakeRoom() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    Path dir = ROOT.resolve(p);
    for (int i = 0; i < 3; i++) write(dir.resolve("f" + i + ".bin"), random(1_000_000, 10 + i));
    String first = create(api, p, "first").get("id").asString();
    for (int i = 0; i < 3; i++) write(dir.resolve("f" + i + ".bin"), random(1_000_000, 20 + i));
    String second = create(api, p, "second").get("id").asString();
    // Both would take ~6 MB on disk, over the 4 MB cap: the older one goes.
    JsonNode list = api.get(checkpoints(p)).json();
    assertThat(list.size()).isEqualTo(1);
    assertThat(list.get(0).get("id").asString()).isEqualTo(second);
    assertThat(api.get(checkpoints(p) + "/" + first + "/diff").status()).isEqualTo(404);

    for (int i = 3; i < 5; i++) write(dir.resolve("f" + i + ".bin"), random(1_000_000, 30 + i));
    var refused = api.post(checkpoints(p), "{\"label\":\"too big\"}");
    assertThat(refused.status()).as(refused.text()).isEqualTo(507);
    assertThat(refused.json().get("type").asString()).endsWith("/checkpoint-too-large");
    assertThat(refused.json().get("detail").asString()).contains("4 MB");
    assertThat(api.get(checkpoints(p)).json().size()).isEqualTo(1);
  }

  @Test
  void viewersListAndDiffButCannotCreateOrRestoreAndStrangersSeeNothing() {
    String p = project("alice", "EDITOR");
    ACCESS.grant(p, "vera", "VIEWER");
    write(ROOT.resolve(p).resolve("a.txt"), "a".getBytes(StandardCharsets.UTF_8));
    String id = create(as("alice"), p, "x").get("id").asString();
    Api vera = as("vera");
    assertThat(vera.post(checkpoints(p), null).status()).isEqualTo(403);
    assertThat(vera.post(checkpoints(p) + "/" + id + "/restore", null).status()).isEqualTo(403);
    assertThat(vera.get(checkpoints(p)).status()).isEqualTo(200);
    assertThat(vera.get(checkpoints(p) + "/" + id + "/diff").status()).isEqualTo(200);
    Api mallory = as("mallory");
    assertThat(mallory.get(checkpoints(p)).status()).isEqualTo(404);
    assertThat(mallory.post(checkpoints(p), null).status()).isEqualTo(404);
    assertThat(mallory.get(checkpoints(p) + "/" + id + "/diff").status()).isEqualTo(404);
    assertThat(mallory.post(checkpoints(p) + "/" + id + "/restore", null).status()).isEqualTo(404);
    assertThat(api404(as("alice"), p)).isTrue();
  }

  private static boolean api404(Api api, String p) {
    var unknown = api.get(checkpoints(p) + "/0123456789abcdef/diff");
    var bad = api.post(checkpoints(p) + "/not-an-id/restore", null);
    var badLabel = api.post(checkpoints(p), "{\"label\":\"" + "x".repeat(101) + "\"}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).contains("application/problem+json");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("Content-Type")).contains("application/problem+json");
    assertThat(badLabel.status()).isEqualTo(400);
    assertThat(badLabel.json().get("detail").asString()).contains("100 characters");
    return true;
  }

  @Test
  void restoringWhileALinkIsSwappedInNeverWritesOutsideTheProject() throws Exception {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    Path dir = ROOT.resolve(p);
    write(dir.resolve("victim.txt"), "checkpoint text\n".getBytes(StandardCharsets.UTF_8));
    write(dir.resolve("sub/inner.txt"), "inner\n".getBytes(StandardCharsets.UTF_8));
    String id = create(api, p, "before").get("id").asString();
    Path hostDir = Files.createTempDirectory("host-dir");
    Path hostFile = hostDir.resolve("secret.txt");
    Files.writeString(hostFile, "host");

    AtomicBoolean running = new AtomicBoolean(true);
    Thread swapper =
        new Thread(
            () -> {
              // What a process in the workspace can do: swap the names the restore writes for
              // links to the host, as fast as it can.
              while (running.get()) {
                try {
                  Path victim = dir.resolve("victim.txt");
                  Files.deleteIfExists(victim);
                  Files.createSymbolicLink(victim, hostFile);
                  Path sub = dir.resolve("sub");
                  if (Files.isDirectory(sub, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> s = Files.list(sub)) {
                      for (Path c : (Iterable<Path>) s::iterator) Files.deleteIfExists(c);
                    }
                    Files.deleteIfExists(sub);
                  }
                  Files.deleteIfExists(sub);
                  Files.createSymbolicLink(sub, hostDir);
                  Thread.onSpinWait();
                  Files.deleteIfExists(victim);
                  Files.writeString(victim, "changed");
                  Files.deleteIfExists(sub);
                } catch (IOException raced) {
                  // the restore moved something meanwhile: go round again
                }
              }
            });
    swapper.start();
    try {
      for (int i = 0; i < 15; i++) {
        var r = api.post(checkpoints(p) + "/" + id + "/restore", null);
        assertThat(r.status()).as(r.text()).isIn(200, 409);
      }
    } finally {
      running.set(false);
      swapper.join();
    }
    assertThat(Files.readString(hostFile)).isEqualTo("host");
    try (Stream<Path> s = Files.list(hostDir)) {
      assertThat(s.map(x -> x.getFileName().toString())).containsExactly("secret.txt");
    }
    // Once nothing races, the restore is whole again.
    var calm = api.post(checkpoints(p) + "/" + id + "/restore", null);
    assertThat(calm.status()).as(calm.text()).isEqualTo(200);
    assertThat(Files.readString(dir.resolve("victim.txt"))).isEqualTo("checkpoint text\n");
    assertThat(Files.readString(dir.resolve("sub/inner.txt"))).isEqualTo("inner\n");
  }

  @Test
  void deletingTheProjectsFilesDropsItsCheckpoints() {
    String p = project("alice", "EDITOR");
    write(ROOT.resolve(p).resolve("a.txt"), "a".getBytes(StandardCharsets.UTF_8));
    create(as("alice"), p, "x");
    assertThat(Files.isDirectory(checkpointStore(p))).isTrue();
    Api service = Api.withToken(port, JWT.signServiceToken("project-service"));
    assertThat(service.send("DELETE", "/internal/projects/" + p + "/files", null).status())
        .isEqualTo(204);
    assertThat(Files.exists(checkpointStore(p))).isFalse();
    assertThat(as("alice").get(checkpoints(p)).json().size()).isZero();
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
