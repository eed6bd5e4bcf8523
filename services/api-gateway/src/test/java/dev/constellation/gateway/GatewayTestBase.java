package dev.constellation.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One gateway for every integration test class (same configuration, so Spring shares the context),
 * in front of three fake services, with the shared in-memory Mongo and real Redis.
 */
@SpringBootTest(
    classes = ApiGatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// As `make run`: the first account is the admin. SignUpIT overrides this with the production rule.
@TestPropertySource(properties = "constellation.sign-up.first-admin=first-account")
abstract class GatewayTestBase {
  static final FakeService PROJECT = FakeService.start("project-service");
  static final FakeService WORKSPACE = FakeService.start("workspace-service");
  static final FakeService CLAUDE = FakeService.start("claude-service");
  static final Path FRONTEND = frontendBuild();
  static final String ALLOWED_ORIGIN = "https://ide.example.com";
  static final JsonMapper JSON = new JsonMapper();

  @DynamicPropertySource
  static void gatewaySettings(DynamicPropertyRegistry registry) {
    registry.add("spring.mongodb.uri", () -> TestInfrastructure.mongo().uri());
    registry.add("spring.data.redis.url", () -> TestInfrastructure.redis().url());
    registry.add("constellation.auth.jwt-secret", () -> TestInfrastructure.JWT_SECRET);
    registry.add("constellation.services.project-url", PROJECT::baseUrl);
    registry.add("constellation.services.workspace-url", WORKSPACE::baseUrl);
    registry.add("constellation.services.claude-url", CLAUDE::baseUrl);
    registry.add("constellation.services.breaker-open-for", () -> "1s");
    registry.add("constellation.services.response-timeout", () -> "3s");
    registry.add("constellation.frontend.dir", FRONTEND::toString);
    registry.add("constellation.web.cors-allowed-origins", () -> ALLOWED_ORIGIN);
    registry.add("constellation.accounts.bcrypt-strength", () -> "4");
    // Tests sign up many accounts from one address; the per-email limit stays at its default.
    registry.add("constellation.rate-limit.client.capacity", () -> "100000");
    registry.add("constellation.rate-limit.user.capacity", () -> "100000");
    registry.add("constellation.rate-limit.auth-client.capacity", () -> "100000");
  }

  @LocalServerPort int port;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  record Response(int status, java.net.http.HttpHeaders headers, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  record Session(String userId, String accessToken, String refreshToken, JsonNode user) {}

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    if (token != null) builder.header("Authorization", "Bearer " + token);
    return builder;
  }

  Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response get(String path, String token) {
    return send(request(path, token).GET().build());
  }

  Response postJson(String path, String json, String token) {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Response patchJson(String path, String json, String token) {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  static String uniqueEmail(String hint) {
    return hint + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  /**
   * Sign-up answers 202 and no tokens (it must not reveal taken emails); the client signs in next.
   */
  Session register(String email) {
    Response response =
        postJson(
            "/api/auth/register",
            "{\"email\":\""
                + email
                + "\",\"password\":\"correct horse battery\",\"displayName\":\"Test User\"}",
            null);
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return login(email);
  }

  Session login(String email) {
    Response response =
        postJson(
            "/api/auth/login",
            "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}",
            null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return session(response);
  }

  static Session session(Response response) {
    JsonNode body = response.json();
    return new Session(
        body.get("user").get("id").asString(),
        body.get("accessToken").asString(),
        body.get("refreshToken").asString(),
        body.get("user"));
  }

  /**
   * Any signed-in user; the first account of a test run may be an admin, which no test here relies
   * on.
   */
  Session anyUser() {
    return register(uniqueEmail("user"));
  }

  static void assertProblem(Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("type").asString()).startsWith("https://constellation.dev/problems/");
    assertThat(problem.get("requestId").asString()).isNotBlank();
    assertThat(problem.get("detail").asString()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception", "\tat ", "127.0.0.1");
  }

  private static Path frontendBuild() {
    try {
      Path dir = Files.createTempDirectory("gateway-ui");
      Files.writeString(dir.resolve("index.html"), "<!doctype html><title>Constellation</title>");
      Files.createDirectories(dir.resolve("assets"));
      Files.writeString(dir.resolve("assets/app-1234.js"), "console.log('ui')");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
