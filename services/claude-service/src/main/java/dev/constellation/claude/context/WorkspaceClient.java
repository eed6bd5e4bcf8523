package dev.constellation.claude.context;

import dev.constellation.claude.config.ClaudeProperties;
import dev.constellation.claude.config.InvalidFieldException;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.web.RequestIds;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.MDC;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Reads project files from workspace-service with the caller's own token, so the AI never sees a
 * file the caller could not open.
 */
@Component
public class WorkspaceClient {

  /** One entry of a directory listing, per the contract. */
  public record FileEntry(String name, String path, String type, long size, Instant modifiedAt) {
    boolean directory() {
      return "dir".equals(type);
    }
  }

  /** The first bytes of a file; {@code truncated} when it had more. */
  public record FileContent(byte[] bytes, boolean truncated) {}

  private final RestClient http;

  WorkspaceClient(RestClient.Builder builder, ClaudeProperties properties) {
    var factory = new SimpleClientHttpRequestFactory();
    factory.setConnectTimeout(Duration.ofSeconds(2));
    factory.setReadTimeout(Duration.ofSeconds(10));
    this.http = builder.clone().baseUrl(properties.workspaceUrl()).requestFactory(factory).build();
  }

  public List<FileEntry> list(String projectId, String path, String authorization) {
    try {
      List<FileEntry> entries =
          http.get()
              .uri(
                  uri ->
                      uri.path("/api/projects/{id}/files")
                          .queryParam("path", "{p}")
                          .build(projectId, path))
              .header("Authorization", authorization)
              .header(RequestIds.HEADER, requestId())
              .retrieve()
              .body(new ParameterizedTypeReference<List<FileEntry>>() {});
      return entries == null ? List.of() : entries;
    } catch (RestClientException e) {
      throw unavailable(e);
    }
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
