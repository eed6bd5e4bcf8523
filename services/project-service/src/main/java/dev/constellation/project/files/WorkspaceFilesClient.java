package dev.constellation.project.files;

import dev.constellation.common.auth.JwtCodec;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.project.ProjectIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A project's files live with workspace-service, the only code that touches WORKSPACES_ROOT; this
 * service creates them from an archive (an import or a template), streams them out as an export and
 * deletes them through workspace-service's internal endpoints, with a service token. A problem
 * workspace-service answers (a refused archive, the quota, a full disk) reaches the caller
 * unchanged.
 */
@Component
public class WorkspaceFilesClient {
  static final String SERVICE_NAME = "project-service";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final JwtCodec jwt;
  private final String base;
  private final JsonMapper json;

  WorkspaceFilesClient(JwtCodec jwt, WorkspaceServiceProperties target, JsonMapper json) {
    this.jwt = jwt;
    this.base = target.workspaceUrl().toString().replaceAll("/+$", "");
    this.json = json;
  }

  /**
   * Creates the project's files from a zip; refused (with workspace-service's problem) when it
   * breaks a limit.
   */
  public void createFrom(
      String projectId, Supplier<InputStream> zip, long length, boolean allowEmpty) {
    HttpRequest request =
        request(projectId, "/archive" + (allowEmpty ? "?allowEmpty=true" : ""))
            .timeout(Duration.ofMinutes(10))
            .header("Content-Type", "application/zip")
            .PUT(
                HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(zip), length))
            .build();
    drain(send(request), 201);
  }

  /**
   * Opens the project's files as a zip stream; fails before the first byte when workspace-service
   * refuses.
   */
  public Export export(String projectId) {
    HttpResponse<InputStream> response =
        send(request(projectId, "/archive").timeout(Duration.ofMinutes(30)).GET().build());
    if (response.statusCode() != 200) drain(response, 200);
    return out -> {
      try (InputStream in = response.body()) {
        in.transferTo(out);
      }
    };
  }

  /** The export body, to be written once the response headers are out. */
  public interface Export {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Idempotent; throws unless workspace-service confirms the files are gone. */
  public void delete(String projectId) {
    drain(send(request(projectId, "/files").timeout(Duration.ofMinutes(5)).DELETE().build()), 204);
  }

  private HttpRequest.Builder request(String projectId, String suffix) {
    ProjectIds.requireValid(projectId);
    return HttpRequest.newBuilder(URI.create(base + "/internal/projects/" + projectId + suffix))
        .header("Authorization", "Bearer " + jwt.signServiceToken(SERVICE_NAME));
  }

  private HttpResponse<InputStream> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unavailable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable();
    }
  }

  private void drain(HttpResponse<InputStream> response, int expected) {
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes(64 * 1024);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int status = response.statusCode();
    if (status != expected) throw relay(status, body);
  }

  // Client errors and storage problems are the caller's to see; anything else is this
  // installation's fault.
  private RuntimeException relay(int status, byte[] body) {
    HttpStatus code = HttpStatus.resolve(status);
    boolean relayable =
        code != null && (code.is4xxClientError() || code == HttpStatus.INSUFFICIENT_STORAGE);
    if (!relayable)
      return new IllegalStateException("workspace-service answered " + status + " to a files call");
    try {
      JsonNode problem = json.readTree(body);
      String type = problem.path("type").asString("");
      String slug = type.substring(type.lastIndexOf('/') + 1);
      return new ApiException(
          code,
          slug.isEmpty() ? "bad-request" : slug,
          problem.path("title").asString(code.getReasonPhrase()),
          problem.path("detail").asString(""));
    } catch (RuntimeException notAProblem) {
      return new ApiException(
          code, "bad-request", code.getReasonPhrase(), "workspace-service refused the request.");
    }
  }

  private static ApiException unavailable() {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "unavailable",
        "Service unavailable",
        "The project's files cannot be reached right now; try again in a moment.");
  }
}
