package dev.constellation.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the public API, as a script or the browser would use it. */
public final class Api {
  public static final JsonMapper JSON = JsonMapper.builder().build();
  public static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A registered user and its access token. */
  public record Session(String userId, String email, String accessToken, String refreshToken) {}

  private final String baseUrl;

  public Api(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * Sign-up answers 202 and no tokens (it must not reveal taken emails); then the user signs in.
   */
  public Session register(String name) throws IOException, InterruptedException {
    // From an address of its own: sign-up and sign-in are limited per client address, and every
    // test of the run would otherwise share 127.0.0.1's small bucket.
    return dev.constellation.system.security.EdgeHttp.at(baseUrl).signUp(name);
  }

  public HttpResponse<String> send(String method, String path, String token, Object body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (token != null) request.header("Authorization", "Bearer " + token);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path, String token)
      throws IOException, InterruptedException {
    return send("GET", path, token, null);
  }

  public static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }
}
