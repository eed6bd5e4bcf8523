package dev.constellation.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Base of every *IT: the real service on a random port against the shared in-memory Mongo-wire
 * server and redis-server. All IT classes extend this unchanged so they share one Spring context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class IntegrationTest {
  static final Path DATA = tempDir();
  static final Path WORKSPACES = DATA.resolve("workspaces");
  static final Path TEMPLATES = DATA.resolve("templates");
  static final FakeDownstream DOWNSTREAM = FakeDownstream.start(Api.JWT, WORKSPACES);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.mongodb.uri", () -> TestInfrastructure.mongo().uri());
    registry.add("spring.mongodb.database", () -> "constellation_projects_it");
    registry.add("spring.data.redis.url", () -> TestInfrastructure.redis().url());
    registry.add("constellation.auth.jwt-secret", () -> TestInfrastructure.JWT_SECRET);
    registry.add("constellation.templates.dir", TEMPLATES::toString);
    registry.add("constellation.services.workspace-url", DOWNSTREAM::workspaceUrl);
    registry.add("constellation.services.claude-url", DOWNSTREAM::claudeUrl);
    registry.add("constellation.deletion.interval", () -> "200ms");
    registry.add("constellation.deletion.retry-delay", () -> "100ms");
    registry.add("constellation.deletion.max-retry-delay", () -> "400ms");
    registry.add("spring.servlet.multipart.max-file-size", () -> "4MB");
    registry.add("spring.servlet.multipart.max-request-size", () -> "4MB");
    registry.add("constellation.audit.consumer-name", () -> "it-consumer");
    registry.add("constellation.audit.reclaim-min-idle", () -> "500ms");
    registry.add("constellation.audit.reclaim-interval", () -> "200ms");
  }

  @LocalServerPort int port;

  Api api;

  @BeforeEach
  void setUpApi() {
    api = new Api(port);
  }

  /** Creates a project owned by {@code ownerToken}'s user and returns its JSON. */
  JsonNode createProject(String ownerToken, String name, String templateId) {
    var response =
        api.post("/api/projects", ownerToken, Map.of("name", name, "templateId", templateId));
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return response.json();
  }

  void setMember(String ownerToken, String projectId, String userId, String role) {
    var response =
        api.put(
            "/api/projects/" + projectId + "/members/" + userId, ownerToken, Map.of("role", role));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("project-service-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
