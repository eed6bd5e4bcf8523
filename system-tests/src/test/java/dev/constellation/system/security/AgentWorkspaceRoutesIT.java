package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11's workspace routes for the agent, through the gateway: the one-call tree, the streamed
 * command that lives only as long as its connection, and headless problems — none of them reaches
 * outside the project through a link, and a dropped stream leaves nothing running.
 */
class AgentWorkspaceRoutesIT {
  private static DiskClient client;
  private static Path outside;
  private static String secret;

  @BeforeAll
  static void setUp() throws Exception {
    client = new DiskClient();
    outside = Files.createTempDirectory("agent-outside");
    secret = "HOST_SECRET_" + UUID.randomUUID().toString().replace('-', '_');
    Files.writeString(outside.resolve("secret.txt"), secret);
    Files.writeString(outside.resolve("secret.py"), "print(" + secret + ")\n");
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  @Checklist("B54")
  void theTreeListsLinksAsEntriesAndNeverWalksOrReadsThroughThem() throws Exception {
    String id = client.createProject("Tree links");
    assertThat(client.write(id, "src/main.py", "print(1)\n".getBytes()).statusCode())
        .isEqualTo(200);
    Path project = DiskClient.workspaces().resolve(id);
    Files.createSymbolicLink(project.resolve("out"), outside);
    Files.createSymbolicLink(project.resolve("src/etc"), Path.of("/etc"));
    Files.createSymbolicLink(project.resolve("src/secret.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(project.resolve("up"), Path.of(".."));
    Files.createSymbolicLink(project.resolve("loop"), Path.of("."));

    HttpResponse<byte[]> tree = client.get("/api/projects/" + id + "/files/tree");
    assertThat(tree.statusCode()).as(DiskClient.text(tree)).isEqualTo(200);
    JsonNode body = DiskClient.JSON.readTree(tree.body());
    Map<String, String> types = new java.util.TreeMap<>();
    body.get("entries").forEach(e -> types.put(e.get("path").asString(), e.get("type").asString()));
    types.remove("README.md"); // the blank template's own
    assertThat(types)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "loop", "link",
                "out", "link",
                "src", "dir",
                "src/etc", "link",
                "src/main.py", "file",
                "src/secret.txt", "link",
                "up", "link"));
    String text = DiskClient.text(tree);
    assertThat(text)
        .doesNotContain(secret)
        .doesNotContain("passwd")
        .doesNotContain(outside.toString());

    for (String bad : List.of("out", "src/etc", "up", "loop", "..", "../" + id, "/etc")) {
      HttpResponse<byte[]> refused =
          client.get("/api/projects/" + id + "/files/tree?path=" + q(bad));
      assertThat(refused.statusCode()).as(bad).isBetween(400, 404);
      assertThat(refused.headers().firstValue("Content-Type").orElse(""))
          .as(bad)
          .startsWith("application/problem+json");
      assertThat(DiskClient.text(refused)).doesNotContain(secret).doesNotContain("passwd:");
    }
  }

  private static boolean running(String id, String args) throws Exception {
    HttpResponse<byte[]> r =
        client.post(
            "/api/projects/" + id + "/exec",
            Map.of("command", "ps -eo args= | grep -qx '" + args + "' && echo yes || echo no"));
    assertThat(r.statusCode()).as(DiskClient.text(r)).isEqualTo(200);
    return DiskClient.JSON.readTree(r.body()).get("stdout").asString().equals("yes\n");
  }

  @Test
  @Checklist("B55")
  void closingAStreamedCommandsConnectionKillsItsWholeProcessGroup() throws Exception {
    String id = client.createProject("Dropped stream");
    URI gateway = URI.create(client.base);
    byte[] json =
        DiskClient.JSON.writeValueAsBytes(
            Map.of("command", "sh -c 'sleep 5; touch late-marker' & echo started; sleep 305"));
    Socket socket = new Socket(gateway.getHost(), gateway.getPort());
    socket.setSoTimeout(60_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /api/projects/"
                + id
                + "/exec/stream HTTP/1.1\r\nHost: "
                + gateway.getAuthority()
                + "\r\nAuthorization: Bearer "
                + client.token
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + json.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(json);
    out.flush();
    InputStream in = socket.getInputStream();
    var seen = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    for (int n; !seen.toString(StandardCharsets.UTF_8).contains("started\\n"); ) {
      n = in.read(buffer);
      assertThat(n).as("stream ended early: %s", seen).isPositive();
      seen.write(buffer, 0, n);
    }
    assertThat(seen.toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200");
    assertThat(running(id, "sleep 305")).isTrue();

    socket.close();
    long closedAt = System.nanoTime();
    long goneAfterMs = -1;
    while (System.nanoTime() - closedAt < 10_000_000_000L) {
      if (!running(id, "sleep 305")) {
        goneAfterMs = (System.nanoTime() - closedAt) / 1_000_000;
        break;
      }
    }
    System.out.println("exec/stream through the gateway: gone " + goneAfterMs + " ms after close");
    assertThat(goneAfterMs).as("ms until the command was gone").isBetween(0L, 2000L);
    assertThat(running(id, "sleep 5")).isFalse();
    Thread.sleep(6000);
    assertThat(DiskClient.workspaces().resolve(id).resolve("late-marker")).doesNotExist();
  }

  @Test
  @Checklist("B56")
  void problemsNeverReadAFileThroughALinkOrOutsideTheProject() throws Exception {
    String id = client.createProject("Problems links");
    assertThat(client.write(id, "ok.py", "x = 1\n".getBytes()).statusCode()).isEqualTo(200);
    Path project = DiskClient.workspaces().resolve(id);
    Files.createSymbolicLink(project.resolve("leak.py"), outside.resolve("secret.py"));
    Files.createSymbolicLink(project.resolve("out"), outside);
    HttpResponse<byte[]> started =
        client.post("/api/projects/" + id + "/workspace/start", Map.of());
    assertThat(started.statusCode()).as(DiskClient.text(started)).isEqualTo(200);

    for (List<String> bad :
        List.of(
            List.of("leak.py"),
            List.of("out/secret.py"),
            List.of("ok.py", "leak.py"),
            List.of("../" + id + "/leak.py"),
            List.of(outside.resolve("secret.py").toString()))) {
      HttpResponse<byte[]> refused =
          client.post("/api/projects/" + id + "/problems", Map.of("paths", bad));
      assertThat(refused.statusCode()).as(bad + " " + DiskClient.text(refused)).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(DiskClient.text(refused)).doesNotContain(secret);
    }
  }
}
