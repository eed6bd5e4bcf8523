package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's uploads and downloads through the gateway: bytes go in and come out exactly, a
 * folder's zip holds that folder's files and nothing a link points at, and an upload can only land
 * inside the project, by an editor, within the size limit.
 */
class UploadsDownloadsIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static DiskClient client;
  private static Path outside;
  private static String secret;

  @BeforeAll
  static void setUp() throws Exception {
    client = new DiskClient();
    outside = Files.createTempDirectory("uploads-outside");
    secret = "HOST-SECRET-" + UUID.randomUUID();
    Files.writeString(outside.resolve("secret.txt"), secret);
  }

  @Test
  void binaryBytesRoundTripExactlyAndAreReportedAsBinary() throws Exception {
    String id = client.createProject("Binary");
    byte[] png = png();
    byte[] every = new byte[256 * 4];
    for (int i = 0; i < every.length; i++) every[i] = (byte) i;
    byte[] random = new byte[300_000];
    new Random(7).nextBytes(random);

    for (var file :
        Map.of("img/pixel.png", png, "all.bin", every, "a b/ü.dat", random).entrySet()) {
      assertThat(client.write(id, file.getKey(), file.getValue()).statusCode()).isEqualTo(200);
      HttpResponse<byte[]> read = client.read(id, file.getKey());
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.body()).as(file.getKey()).isEqualTo(file.getValue());
      assertThat(read.headers().firstValue("X-File-Binary")).contains("true");
      // Whatever the bytes are, they are served as an attachment the browser will not sniff.
      assertThat(read.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/octet-stream");
    }
    assertThat(client.read(id, "img/pixel.png").headers().firstValue("X-File-Media-Type"))
        .contains("image/png");

    // A name does not make text binary, nor binary an image.
    assertThat(
            client
                .write(id, "notes.png", "just text, ünïcode".getBytes(StandardCharsets.UTF_8))
                .statusCode())
        .isEqualTo(200);
    HttpResponse<byte[]> text = client.read(id, "notes.png");
    assertThat(text.headers().firstValue("X-File-Binary")).contains("false");
    assertThat(text.headers().firstValue("X-File-Media-Type")).contains("text/plain");
    assertThat(client.write(id, "fake.txt", every).statusCode()).isEqualTo(200);
    assertThat(client.read(id, "fake.txt").headers().firstValue("X-File-Binary")).contains("true");
  }

  @Test
  @Checklist("B48")
  void aFolderZipHoldsItsFilesAndNothingALinkPointsAt() throws Exception {
    String id = client.createProject("Zip");
    byte[] bin = new byte[4096];
    new Random(3).nextBytes(bin);
    assertThat(client.write(id, "d/a.txt", "alpha".getBytes()).statusCode()).isEqualTo(200);
    assertThat(client.write(id, "d/sub/b.bin", bin).statusCode()).isEqualTo(200);
    assertThat(client.write(id, "other/c.txt", "not in d".getBytes()).statusCode()).isEqualTo(200);
    Path d = DiskClient.workspaces().resolve(id).resolve("d");
    Files.createSymbolicLink(d.resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(d.resolve("out"), outside);
    Files.createSymbolicLink(d.resolve("sub/secret.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(d.resolve("up"), Path.of(".."));

    HttpResponse<byte[]> zip = archive(id, "d");
    assertThat(zip.statusCode()).as(DiskClient.text(zip)).isEqualTo(200);
    assertThat(zip.headers().firstValue("Content-Type").orElse("")).startsWith("application/zip");
    assertThat(zip.headers().firstValue("Content-Disposition").orElse(""))
        .startsWith("attachment")
        .contains("d.zip");
    Map<String, byte[]> entries = DiskClient.unzip(zip.body());
    assertThat(entries.keySet()).containsExactlyInAnyOrder("a.txt", "sub/", "sub/b.bin");
    assertThat(entries.get("a.txt")).isEqualTo("alpha".getBytes());
    assertThat(entries.get("sub/b.bin")).isEqualTo(bin);
    String all = new String(zip.body(), StandardCharsets.ISO_8859_1);
    assertThat(all).doesNotContain(secret).doesNotContain("root:x:0:0");

    // The whole project: every folder but never through a link.
    Map<String, byte[]> root = DiskClient.unzip(archive(id, "").body());
    assertThat(root).containsKeys("d/a.txt", "d/sub/b.bin", "other/c.txt");
    assertThat(root.keySet())
        .noneMatch(k -> k.contains("passwd") || k.startsWith("d/out") || k.startsWith("d/up"));

    // A link, a path out of the project or a file as the folder: a problem, no zip.
    for (String bad : new String[] {"d/out", "d/up", "../" + id, "/etc", "d/a.txt", "missing"}) {
      HttpResponse<byte[]> refused = archive(id, bad);
      assertThat(refused.statusCode()).as(bad).isBetween(400, 404);
      assertThat(refused.headers().firstValue("Content-Type").orElse(""))
          .as(bad)
          .startsWith("application/problem+json");
      assertThat(DiskClient.text(refused)).doesNotContain(secret).doesNotContain("root:x:0:0");
    }
  }

  @Test
  @Checklist("B49")
  void uploadsLandOnlyInsideTheProjectByAnEditorWithinTheLimit() throws Exception {
    String id = client.createProject("Uploads");
    assertThat(client.write(id, "keep.txt", "k".getBytes()).statusCode()).isEqualTo(200);
    Path project = DiskClient.workspaces().resolve(id);
    Files.createSymbolicLink(project.resolve("out"), outside);
    Files.createSymbolicLink(project.resolve("etc-passwd"), Path.of("/etc/passwd"));
    byte[] payload = "PWNED".getBytes();

    for (String bad :
        new String[] {
          "../escape.txt",
          "a/../../escape.txt",
          "/tmp/escape.txt",
          "out/escape.txt",
          "out/new/escape.txt",
          "etc-passwd",
          "a\\..\\..\\escape.txt",
        }) {
      HttpResponse<byte[]> refused = client.write(id, bad, payload);
      assertThat(refused.statusCode()).as(bad).isBetween(400, 409);
    }
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secret.txt");
    }
    assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo(secret);
    assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain("PWNED");
    assertThat(Files.exists(project.getParent().resolve("escape.txt"))).isFalse();
    assertThat(Files.exists(Path.of("/tmp/escape.txt"))).isFalse();

    // A viewer reads but cannot upload.
    Api api = new Api(client.base);
    Api.Session viewer = api.register("viewer");
    var added =
        api.send(
            "PUT",
            "/api/projects/" + id + "/members/" + viewer.userId(),
            client.token,
            Map.of("role", "VIEWER"));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    HttpResponse<byte[]> byViewer = put(id, "from-viewer.bin", payload, viewer.accessToken());
    assertThat(byViewer.statusCode()).isEqualTo(403);
    assertThat(Files.exists(project.resolve("from-viewer.bin"))).isFalse();

    // Over the limit: 413 with a sentence naming the limit, nothing written.
    HttpResponse<byte[]> limits = get("/api/projects/" + id + "/files/limits", client.token);
    assertThat(limits.statusCode()).isEqualTo(200);
    long max = DiskClient.JSON.readTree(limits.body()).path("maxFileBytes").asLong();
    assertThat(max).isPositive();
    HttpResponse<byte[]> big = client.write(id, "big.bin", new byte[(int) max + 1]);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(DiskClient.problem(big).path("detail").asString())
        .contains("larger than " + (max / (1024 * 1024)) + " MB");
    assertThat(Files.exists(project.resolve("big.bin"))).isFalse();
    assertThat(client.write(id, "exact.bin", new byte[(int) max]).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<byte[]> archive(String id, String path)
      throws IOException, InterruptedException {
    return get(
        "/api/projects/"
            + id
            + "/files/archive?path="
            + URLEncoder.encode(path, StandardCharsets.UTF_8),
        client.token);
  }

  private static HttpResponse<byte[]> get(String path, String token)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(client.base + path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> put(String id, String path, byte[] body, String token)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    client.base
                        + "/api/projects/"
                        + id
                        + "/files/content?path="
                        + URLEncoder.encode(path, StandardCharsets.UTF_8)))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/octet-stream")
            .timeout(Duration.ofSeconds(30))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  // A 1×1 PNG, so the magic number (not the name) makes it an image.
  private static byte[] png() {
    return java.util.Base64.getDecoder()
        .decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
  }
}
