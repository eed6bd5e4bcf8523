package dev.constellation.system.security;

import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public project and files API through the gateway, as the UI uses it, for the disk attacks.
 */
final class DiskClient {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final String base = SystemStack.gatewayUrl();
  final String token;

  DiskClient() throws IOException, InterruptedException {
    token = new Api(base).register("disk").accessToken();
  }

  static Path workspaces() {
    return SystemStack.get().dataDir().resolve("workspaces");
  }

  String createProject(String name) throws IOException, InterruptedException {
    var response =
        send(json("POST", "/api/projects", Map.of("name", name, "templateId", "blank")), token);
    if (response.statusCode() != 201)
      throw new IllegalStateException(
          "create failed: " + response.statusCode() + " " + text(response));
    return JSON.readTree(response.body()).path("id").asString();
  }

  HttpResponse<byte[]> write(String projectId, String path, byte[] content)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(filesUri(projectId, "/content", path))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content)),
        token);
  }

  HttpResponse<byte[]> read(String projectId, String path)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(filesUri(projectId, "/content", path)).GET(), token);
  }

  /** A files API read with the query exactly as given (already encoded), to try encodings. */
  HttpResponse<byte[]> readRaw(String projectId, String rawQuery)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(
                URI.create(base + "/api/projects/" + projectId + "/files/content?" + rawQuery))
            .GET(),
        token);
  }

  /** Deletes one file of the project (DELETE /files?path=). */
  HttpResponse<byte[]> deleteFile(String projectId, String path)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(filesUri(projectId, "", path)).DELETE(), token);
  }

  HttpResponse<byte[]> list(String projectId, String path)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(filesUri(projectId, "", path)).GET(), token);
  }

  HttpResponse<byte[]> export(String projectId) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + "/api/projects/" + projectId + "/export")).GET(),
        token);
  }

  HttpResponse<byte[]> delete(String projectId) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + "/api/projects/" + projectId)).DELETE(), token);
  }

  HttpResponse<byte[]> importZip(String name, byte[] zip) throws IOException, InterruptedException {
    String boundary = "----disk" + UUID.randomUUID();
    var body = new ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n"
                + name
                + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(zip);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(
        HttpRequest.newBuilder(URI.create(base + "/api/projects/import"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
        token);
  }

  /** A JSON POST to any route, as this user. */
  HttpResponse<byte[]> post(String path, Object body) throws IOException, InterruptedException {
    return send(json("POST", path, body), token);
  }

  /** A GET of any route, the query as given. */
  HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET(), token);
  }

  long projectCount() throws IOException, InterruptedException {
    var response =
        send(HttpRequest.newBuilder(URI.create(base + "/api/projects?size=100")).GET(), token);
    return JSON.readTree(response.body()).path("total").asLong();
  }

  static JsonNode problem(HttpResponse<byte[]> response) {
    return JSON.readTree(response.body());
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (var in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; )
        entries.put(e.getName(), in.readAllBytes());
    }
    return entries;
  }

  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new ZipOutputStream(bytes)) {
      for (var e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private URI filesUri(String projectId, String suffix, String path) {
    return URI.create(
        base
            + "/api/projects/"
            + projectId
            + "/files"
            + suffix
            + "?path="
            + URLEncoder.encode(path, StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder json(String method, String path, Object body) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request, String bearer)
      throws IOException, InterruptedException {
    request.timeout(Duration.ofSeconds(20));
    if (bearer != null) request.header("Authorization", "Bearer " + bearer);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
