package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FilesIT extends DockerStack {

  private static String files(String p) {
    return "/api/projects/" + p + "/files";
  }

  private Api.Response put(Api api, String p, String path, byte[] bytes, String... headers) {
    return api.send("PUT", files(p) + "/content?path=" + Api.q(path), bytes, headers);
  }

  @Test
  void writeCreatesParentsAndReadReturnsTheBytesWithAStrongEtag() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    var written =
        put(api, p, "src/main/Hello.java", "class Hello {}".getBytes(StandardCharsets.UTF_8));
    assertThat(written.status()).as(written.text()).isEqualTo(200);
    String etag = written.json().get("etag").asString();
    assertThat(etag).startsWith("\"").doesNotStartWith("W/");
    assertThat(written.json().get("size").asLong()).isEqualTo(14);

    var read = api.get(files(p) + "/content?path=" + Api.q("src/main/Hello.java"));
    assertThat(read.text()).isEqualTo("class Hello {}");
    assertThat(read.header("ETag")).isEqualTo(etag);

    JsonNode root = api.get(files(p) + "?path=").json();
    assertThat(root.get(0).get("name").asString()).isEqualTo("src");
    assertThat(root.get(0).get("type").asString()).isEqualTo("dir");
    JsonNode main = api.get(files(p) + "?path=src/main").json();
    assertThat(main.get(0).get("path").asString()).isEqualTo("src/main/Hello.java");
    assertThat(main.get(0).get("type").asString()).isEqualTo("file");
    assertThat(main.get(0).get("size").asLong()).isEqualTo(14);

    // uid 1000 in the container can edit what the API wrote.
    assertThat(api.exec(p, "echo more >> src/main/Hello.java && echo ok").get("stdout").asString())
        .isEqualTo("ok\n");
  }

  @Test
  void ifMatchGuardsAgainstLostUpdates() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    String v1 = put(api, p, "a.txt", "one".getBytes()).json().get("etag").asString();
    String v2 =
        put(api, p, "a.txt", "two".getBytes(), "If-Match", v1).json().get("etag").asString();
    var stale = put(api, p, "a.txt", "three".getBytes(), "If-Match", v1);
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.header("Content-Type")).contains("application/problem+json");
    assertThat(api.get(files(p) + "/content?path=a.txt").text()).isEqualTo("two");
    assertThat(put(api, p, "a.txt", "four".getBytes(), "If-Match", v2).status()).isEqualTo(200);
    assertThat(put(api, p, "new.txt", "x".getBytes(), "If-Match", v2).status()).isEqualTo(412);
  }

  @Test
  void binaryFilesRoundTripByteExactAndOversizedOnesAreRefused() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    byte[] bytes = new byte[300_000];
    new Random(7).nextBytes(bytes);
    for (int i = 0; i < 256; i++) bytes[i] = (byte) i;
    assertThat(
            put(api, p, "bin/blob.bin", bytes, "Content-Type", "application/octet-stream").status())
        .isEqualTo(200);
    assertThat(api.get(files(p) + "/content?path=bin/blob.bin").body()).isEqualTo(bytes);
    var tooBig = put(api, p, "big.bin", new byte[1024 * 1024 + 1]);
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(Files.exists(ROOT.resolve(p).resolve("big.bin"))).isFalse();
  }

  @Test
  void moveAndRecursiveDelete() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    put(api, p, "d/e/f.txt", "f".getBytes());
    put(api, p, "g.txt", "g".getBytes());
    assertThat(
            api.post(files(p) + "/move", "{\"from\":\"d/e/f.txt\",\"to\":\"x/y/z.txt\"}").status())
        .isEqualTo(200);
    assertThat(api.get(files(p) + "/content?path=x/y/z.txt").text()).isEqualTo("f");
    assertThat(api.post(files(p) + "/move", "{\"from\":\"g.txt\",\"to\":\"x/y/z.txt\"}").status())
        .isEqualTo(409);
    assertThat(api.post(files(p) + "/move", "{\"from\":\"x\",\"to\":\"x/inner\"}").status())
        .isEqualTo(400);
    assertThat(api.send("DELETE", files(p) + "?path=x", null).status()).isEqualTo(204);
    assertThat(api.get(files(p) + "/content?path=x/y/z.txt").status()).isEqualTo(404);
    assertThat(api.send("DELETE", files(p) + "?path=x", null).status()).isEqualTo(404);
    assertThat(api.send("DELETE", files(p) + "?path=", null).status()).isEqualTo(400);
  }

  @Test
  void refusesPathsThatCouldLeaveTheRoot() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    for (String bad :
        new String[] {
          "../x", "a/../../x", "/etc/passwd", "a\\b", "a\u0000b", "a//b", "./a", "a/"
        }) {
      String q = Api.q(bad);
      assertThat(api.get(files(p) + "/content?path=" + q).status())
          .as("read " + bad)
          .isEqualTo(400);
      assertThat(api.get(files(p) + "?path=" + q).status()).as("list " + bad).isEqualTo(400);
      assertThat(put(api, p, bad, "x".getBytes()).status()).as("write " + bad).isEqualTo(400);
      assertThat(api.send("DELETE", files(p) + "?path=" + q, null).status())
          .as("delete " + bad)
          .isEqualTo(400);
      assertThat(
              api.post(
                      files(p) + "/move",
                      Api.JSON.writeValueAsString(java.util.Map.of("from", "ok.txt", "to", bad)))
                  .status())
          .as("move " + bad)
          .isEqualTo(400);
    }
    var problem = api.get(files(p) + "/content?path=" + Api.q("../x")).json();
    assertThat(problem.get("type").asString())
        .isEqualTo("https://constellation.dev/problems/invalid-path");
  }

  @Test
  void refusesSymlinksMadeInsideTheContainerPointingOutside() throws Exception {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    String passwd = Files.readString(Path.of("/etc/passwd"));
    assertThat(
            api.exec(
                    p,
                    "ln -s /etc/passwd x && ln -s / root && ln -s /etc etc && mkdir real && echo ok")
                .get("stdout")
                .asString())
        .isEqualTo("ok\n");

    assertThat(api.get(files(p) + "/content?path=x").status()).isEqualTo(400);
    assertThat(api.get(files(p) + "/content?path=root/etc/passwd").status()).isEqualTo(400);
    assertThat(api.get(files(p) + "?path=root").status()).isEqualTo(400);
    assertThat(api.get(files(p) + "?path=etc").status()).isEqualTo(400);
    JsonNode listing = api.get(files(p) + "?path=").json();
    assertThat(listing.toString())
        .doesNotContain("\"x\"")
        .doesNotContain("\"root\"")
        .doesNotContain("\"etc\"")
        .contains("\"real\"");

    assertThat(put(api, p, "x", "pwned".getBytes()).status()).isEqualTo(400);
    assertThat(put(api, p, "root/tmp/evil-" + p, "pwned".getBytes()).status()).isEqualTo(400);
    assertThat(put(api, p, "etc/evil-" + p, "pwned".getBytes()).status()).isEqualTo(400);
    assertThat(api.post(files(p) + "/move", "{\"from\":\"x\",\"to\":\"y\"}").status())
        .isEqualTo(400);
    assertThat(
            api.post(files(p) + "/move", "{\"from\":\"real\",\"to\":\"root/tmp/moved-" + p + "\"}")
                .status())
        .isEqualTo(400);
    assertThat(api.send("DELETE", files(p) + "?path=" + Api.q("root/tmp"), null).status())
        .isEqualTo(400);
    assertThat(Files.exists(Path.of("/tmp/evil-" + p))).isFalse();
    assertThat(Files.exists(Path.of("/etc/evil-" + p))).isFalse();
    assertThat(Files.exists(Path.of("/tmp/moved-" + p))).isFalse();
    assertThat(Files.readString(Path.of("/etc/passwd"))).isEqualTo(passwd);

    // Deleting the link removes the link, never its target.
    assertThat(api.send("DELETE", files(p) + "?path=x", null).status()).isEqualTo(204);
    assertThat(Files.readString(Path.of("/etc/passwd"))).isEqualTo(passwd);
    assertThat(Files.exists(ROOT.resolve(p).resolve("x"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .isFalse();
  }

  @Test
  void filesWorkWhileTheWorkspaceIsStoppedAndViewersOnlyRead() {
    String p = project("alice", "EDITOR");
    ACCESS.grant(p, "bob", "VIEWER");
    Api alice = as("alice");
    alice.post("/api/projects/" + p + "/workspace/stop", null);
    assertThat(put(alice, p, "notes.md", "# hi".getBytes()).status()).isEqualTo(200);
    assertThat(as("bob").get(files(p) + "/content?path=notes.md").text()).isEqualTo("# hi");
    assertThat(put(as("bob"), p, "notes.md", "no".getBytes()).status()).isEqualTo(403);
    assertThat(as("bob").send("DELETE", files(p) + "?path=notes.md", null).status()).isEqualTo(403);
    assertThat(alice.get("/api/projects/" + p + "/workspace").json().get("status").asString())
        .isEqualTo("STOPPED");
  }
}
