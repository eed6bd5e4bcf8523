package dev.constellation.project;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the service under test, with tokens minted like the gateway does. */
final class Api {
  static final JwtCodec JWT =
      new JwtCodec(
          dev.constellation.localstack.TestInfrastructure.JWT_SECRET,
          "constellation",
          "constellation-api",
          Clock.systemUTC());
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Response(int status, byte[] bytes, java.net.http.HttpHeaders headers) {
    JsonNode json() {
      return JSON.readTree(bytes);
    }

    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private final String base;

  Api(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  static String newUserId() {
    return "u-" + UUID.randomUUID();
  }

  static String token(String userId, String... roles) {
    return JWT.sign(
        new AuthenticatedUser(
            userId,
            userId + "@example.test",
            Set.of(roles.length == 0 ? new String[] {"USER"} : roles)),
        Duration.ofMinutes(5));
  }

  Response send(String method, String path, String token, Object jsonBody) {
    HttpRequest.BodyPublisher body =
        jsonBody == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(
                jsonBody instanceof String s ? s : JSON.writeValueAsString(jsonBody));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(method, body)
            .timeout(Duration.ofSeconds(60));
    if (jsonBody != null) request.header("Content-Type", "application/json");
    if (token != null) request.header("Authorization", "Bearer " + token);
    return send(request.build());
  }

  Response send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
  }

  Response get(String path, String token) {
    return send("GET", path, token, null);
  }

  Response post(String path, String token, Object body) {
    return send("POST", path, token, body);
  }

  Response patch(String path, String token, Object body) {
    return send("PATCH", path, token, body);
  }

  Response put(String path, String token, Object body) {
    return send("PUT", path, token, body);
  }

  Response delete(String path, String token) {
    return send("DELETE", path, token, null);
  }

  /** A multipart/form-data import request with the given parts. */
  Response importZip(String token, byte[] zip, String name) {
    String boundary = "----constellation" + UUID.randomUUID();
    var out = new java.io.ByteArrayOutputStream();
    try {
      if (name != null) {
        out.write(
            ("--"
                    + boundary
                    + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n"
                    + name
                    + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      if (zip != null) {
        out.write(
            ("--"
                    + boundary
                    + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.zip\"\r\n"
                    + "Content-Type: application/zip\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(zip);
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return send(
        request("/api/projects/import")
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()))
            .build());
  }
}
