package dev.constellation.claude.context;

import dev.constellation.claude.config.ClaudeProperties;
import dev.constellation.claude.config.InvalidFieldException;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.web.RequestIds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads project files from workspace-service with the caller's own token, so the AI never sees a
 * file the caller could not open.
 */
@Component
public class WorkspaceClient {

  /** The first bytes of a file; {@code truncated} when it had more. */
  public record FileContent(byte[] bytes, boolean truncated) {}

  /** One entry of {@code GET /files/tree}. */
  public record TreeEntry(String path, String type, long size) {}

  public record Tree(List<TreeEntry> entries, boolean truncated) {}

  /** A file's bytes (at most the asked number) and its ETag. */
  public record FileText(byte[] bytes, String etag, boolean truncated) {}

  /**
   * A workspace-service answer that was not a success: its status and a text for the model (the
   * problem's detail, else a short note).
   */
  public static final class Failure extends RuntimeException {
    private final int status;

    public Failure(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final RestClient http;
  private final HttpClient streaming =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final String baseUrl;
  private final JsonMapper json = JsonMapper.builder().build();

  WorkspaceClient(RestClient.Builder builder, ClaudeProperties properties) {
    this.baseUrl = properties.workspaceUrl().replaceAll("/+$", "");
    var factory = new SimpleClientHttpRequestFactory();
    factory.setConnectTimeout(Duration.ofSeconds(2));
    factory.setReadTimeout(Duration.ofSeconds(10));
    this.http = builder.clone().baseUrl(properties.workspaceUrl()).requestFactory(factory).build();
  }

  /** Reads at most {@code maxBytes}; a missing file is a 400 naming {@code field}. */
  public FileContent read(
      String projectId, String path, String authorization, int maxBytes, String field) {
    try {
      return http.get()
          .uri(
              uri ->
                  uri.path("/api/projects/{id}/files/content")
                      .queryParam("path", "{p}")
                      .build(projectId, path))
          .header("Authorization", authorization)
          .header(RequestIds.HEADER, requestId())
          .exchange(
              (request, response) -> {
                if (response.getStatusCode().value() == 404) {
                  throw new InvalidFieldException(
                      field, field + " '" + path + "' does not exist in this project.");
                }
                if (response.getStatusCode().value() == 400) {
                  throw new InvalidFieldException(
                      field,
                      field + " '" + path + "' is not a readable file path in this project.");
                }
                if (response.getStatusCode().isError()) {
                  throw new ApiException(
                      HttpStatus.BAD_GATEWAY,
                      "dependency-error",
                      "Workspace service error",
                      "The workspace service could not read '"
                          + path
                          + "' (status "
                          + response.getStatusCode().value()
                          + "); try again shortly.");
                }
                try (InputStream in = response.getBody()) {
                  byte[] bytes = in.readNBytes(maxBytes + 1);
                  boolean truncated = bytes.length > maxBytes;
                  return new FileContent(
                      truncated ? java.util.Arrays.copyOf(bytes, maxBytes) : bytes, truncated);
                }
              });
    } catch (RestClientException e) {
      throw unavailable(e);
    }
  }

  /** {@code GET /files/tree}: the whole tree (or a folder's) in one call. */
  public Tree tree(String projectId, String path, int maxEntries, String authorization) {
    String query =
        "path=" + enc(path == null ? "" : path) + "&maxEntries=" + Math.max(1, maxEntries);
    JsonNode body = getJson(projectId, "/files/tree?" + query, authorization);
    List<TreeEntry> entries = new ArrayList<>();
    for (JsonNode e : body.path("entries")) {
      entries.add(
          new TreeEntry(
              e.path("path").asString(""),
              e.path("type").asString("file"),
              e.path("size").asLong(0)));
    }
    return new Tree(entries, body.path("truncated").asBoolean(false));
  }

  /** Reads at most {@code maxBytes} of a file with its ETag; a missing file is a 404 Failure. */
  public FileText readFile(String projectId, String path, int maxBytes, String authorization) {
    HttpResponse<InputStream> r =
        send("GET", projectId, "/files/content?path=" + enc(path), null, null, authorization, 15);
    try (InputStream in = r.body()) {
      if (r.statusCode() != 200) throw failure(r.statusCode(), in.readNBytes(64 * 1024));
      byte[] bytes = in.readNBytes(maxBytes + 1);
      boolean truncated = bytes.length > maxBytes;
      return new FileText(
          truncated ? java.util.Arrays.copyOf(bytes, maxBytes) : bytes,
          r.headers().firstValue("ETag").orElse(null),
          truncated);
    } catch (IOException e) {
      throw new Failure(502, "reading '" + path + "' failed: " + e.getMessage());
    }
  }

  /** Writes a file; {@code ifMatch} (an ETag) makes it fail with 412 if the file changed. */
  public String writeFile(
      String projectId, String path, byte[] content, String ifMatch, String authorization) {
    JsonNode body =
        jsonCall(
            "PUT",
            projectId,
            "/files/content?path=" + enc(path),
            HttpRequest.BodyPublishers.ofByteArray(content),
            ifMatch,
            "application/octet-stream",
            authorization,
            30);
    return body.path("etag").asString(null);
  }

  public void deleteFile(String projectId, String path, String authorization) {
    HttpResponse<InputStream> r =
        send("DELETE", projectId, "/files?path=" + enc(path), null, null, authorization, 30);
    try (InputStream in = r.body()) {
      if (r.statusCode() >= 300) throw failure(r.statusCode(), in.readNBytes(64 * 1024));
    } catch (IOException e) {
      throw new Failure(502, "deleting '" + path + "' failed: " + e.getMessage());
    }
  }

  /** {@code POST /search}: the NDJSON lines, at most {@code maxLines} of them. */
  public List<JsonNode> search(
      String projectId, Map<String, Object> request, int maxLines, String authorization) {
    HttpResponse<InputStream> r =
        send(
            "POST",
            projectId,
            "/search",
            HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(request)),
            null,
            authorization,
            30);
    try (InputStream in = r.body()) {
      if (r.statusCode() != 200) throw failure(r.statusCode(), in.readNBytes(64 * 1024));
      List<JsonNode> lines = new ArrayList<>();
      var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null && lines.size() < maxLines) {
        if (!line.isBlank()) lines.add(json.readTree(line));
      }
      return lines;
    } catch (IOException e) {
      throw new Failure(502, "the search failed: " + e.getMessage());
    }
  }

  /**
   * {@code POST /exec/stream}: hands each output line to {@code onLine} as it arrives and returns
   * the last ({@code done}) line. {@code onOpen} receives the connection; closing it kills the
   * command.
   */
  public JsonNode execStream(
      String projectId,
      String command,
      Integer timeoutSeconds,
      String authorization,
      java.util.function.Consumer<JsonNode> onLine,
      java.util.function.Consumer<AutoCloseable> onOpen) {
    Map<String, Object> request = new java.util.LinkedHashMap<>();
    request.put("command", command);
    if (timeoutSeconds != null) request.put("timeoutSeconds", timeoutSeconds);
    int wait = (timeoutSeconds == null ? 600 : timeoutSeconds) + 30;
    HttpResponse<InputStream> r =
        send(
            "POST",
            projectId,
            "/exec/stream",
            HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(request)),
            null,
            authorization,
            wait);
    InputStream in = r.body();
    onOpen.accept(in);
    try (in) {
      if (r.statusCode() != 200) throw failure(r.statusCode(), in.readNBytes(64 * 1024));
      var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) continue;
        JsonNode node = json.readTree(line);
        if (node.path("done").asBoolean(false)) return node;
        onLine.accept(node);
      }
      throw new Failure(502, "the command's output ended without its exit status");
    } catch (IOException e) {
      throw new Failure(499, "the command's connection closed: " + e.getMessage());
    }
  }

  /** {@code POST /problems} for at most 20 paths. */
  public JsonNode problems(String projectId, List<String> paths, String authorization) {
    return jsonCall(
        "POST",
        projectId,
        "/problems",
        HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("paths", paths))),
        null,
        "application/json",
        authorization,
        40);
  }

  /** {@code POST /checkpoints}: a snapshot of the project's files before the agent writes. */
  public JsonNode checkpoint(String projectId, String label, String authorization) {
    return jsonCall(
        "POST",
        projectId,
        "/checkpoints",
        HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("label", label))),
        null,
        "application/json",
        authorization,
        60);
  }

  private JsonNode getJson(String projectId, String route, String authorization) {
    return jsonCall("GET", projectId, route, null, null, null, authorization, 15);
  }

  private JsonNode jsonCall(
      String method,
      String projectId,
      String route,
      HttpRequest.BodyPublisher body,
      String ifMatch,
      String contentType,
      String authorization,
      int timeoutSeconds) {
    HttpResponse<InputStream> r =
        send(method, projectId, route, body, ifMatch, contentType, authorization, timeoutSeconds);
    try (InputStream in = r.body()) {
      byte[] bytes = in.readNBytes(8 * 1024 * 1024);
      if (r.statusCode() >= 300) throw failure(r.statusCode(), bytes);
      return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
    } catch (IOException e) {
      throw new Failure(502, "the workspace service's answer broke off: " + e.getMessage());
    }
  }

  private HttpResponse<InputStream> send(
      String method,
      String projectId,
      String route,
      HttpRequest.BodyPublisher body,
      String ifMatch,
      String authorization,
      int timeoutSeconds) {
    return send(
        method,
        projectId,
        route,
        body,
        ifMatch,
        body == null ? null : "application/json",
        authorization,
        timeoutSeconds);
  }

  private HttpResponse<InputStream> send(
      String method,
      String projectId,
      String route,
      HttpRequest.BodyPublisher body,
      String ifMatch,
      String contentType,
      String authorization,
      int timeoutSeconds) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/projects/" + enc(projectId) + route))
            .timeout(Duration.ofSeconds(timeoutSeconds))
            .header("Authorization", authorization)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
    String id = requestId();
    if (!id.isEmpty()) b.header(RequestIds.HEADER, id);
    if (contentType != null) b.header("Content-Type", contentType);
    if (ifMatch != null) b.header("If-Match", ifMatch);
    try {
      return streaming.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new Failure(503, "the workspace service cannot be reached: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(499, "interrupted");
    }
  }

  private Failure failure(int status, byte[] body) {
    String detail = null;
    try {
      JsonNode problem = json.readTree(body);
      detail = problem.path("detail").asString(null);
      if (detail == null) detail = problem.path("title").asString(null);
    } catch (RuntimeException notJson) {
      // A plain-text or empty body: the status says enough.
    }
    String text =
        switch (status) {
          case 404 -> "not found";
          case 403 -> "forbidden (your role in this project does not allow it)";
          case 412 -> "the file changed since it was read; read it again";
          default -> "failed with status " + status;
        };
    return new Failure(status, detail == null ? text : text + ": " + detail);
  }

  private static String enc(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String requestId() {
    String id = MDC.get(RequestIds.MDC_KEY);
    return id == null ? "" : id;
  }

  private static ApiException unavailable(RestClientException e) {
    if (e instanceof HttpClientErrorException.NotFound) {
      return ApiException.notFound("The project's files are not available.");
    }
    if (e instanceof HttpClientErrorException.Forbidden
        || e instanceof HttpClientErrorException.Unauthorized) {
      return ApiException.forbidden("You may not read this project's files.");
    }
    return new ApiException(
        ProblemType.SERVICE_UNAVAILABLE,
        "The workspace service cannot be reached to read project files; try again shortly.");
  }
}
