package dev.constellation.workspace;

import dev.constellation.common.auth.JwtCodec;
import dev.constellation.localstack.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context every Docker IT class shares: the service on a random port with the Docker
 * runtime, the shared MongoDB-wire server and redis-server, a stub access endpoint, a temporary
 * workspaces root, and an installation id of its own whose containers are removed when the JVM
 * exits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class DockerStack {
  static final JwtCodec JWT =
      new JwtCodec(
          TestInfrastructure.JWT_SECRET, "constellation", "constellation-api", Clock.systemUTC());
  static final AccessStub ACCESS = new AccessStub(JWT);
  static final String INSTALLATION = "it-" + UUID.randomUUID().toString().substring(0, 8);
  static final Path ROOT;

  static {
    try {
      ROOT = Files.createTempDirectory("workspaces-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  DockerSupport.removeInstallation(INSTALLATION);
                  DockerSupport.run("rm", "-rf", ROOT.toString());
                }));
  }

  @LocalServerPort int port;
  @Autowired org.springframework.context.ApplicationContext context;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.mongodb.uri", () -> TestInfrastructure.mongo().uri());
    registry.add("spring.mongodb.database", () -> "workspaces_it");
    registry.add("spring.data.redis.url", () -> TestInfrastructure.redis().url());
    registry.add("constellation.auth.jwt-secret", () -> TestInfrastructure.JWT_SECRET);
    registry.add("constellation.services.project-url", ACCESS::url);
    registry.add("workspace.runtime", () -> "docker");
    registry.add("workspace.image", () -> DockerSupport.IMAGE);
    registry.add("workspace.root", ROOT::toString);
    registry.add("workspace.installation-id", () -> INSTALLATION);
    registry.add("workspace.network.name", () -> "constellation-ws-" + INSTALLATION);
    // These tests cover the internal (no egress) network an installation can choose; the egress
    // network and its firewall are covered against the whole stack (system-tests
    // WorkspaceEgressIT).
    registry.add("workspace.network.egress", () -> "false");
    registry.add("workspace.limits.memory-bytes", () -> "536870912");
    registry.add("workspace.files.max-file-bytes", () -> "1048576");
    registry.add("workspace.terminal.allowed-origins", () -> "https://ide.example.com");
    // Small enough that CheckpointsIT reaches both caps with a few files.
    registry.add("workspace.checkpoints.max-per-project", () -> "4");
    registry.add("workspace.checkpoints.max-bytes", () -> "4MB");
  }

  @BeforeAll
  static void docker() {
    DockerSupport.requireDocker();
  }

  /** A new project that {@code userId} may use with {@code role}. */
  static String project(String userId, String role) {
    String id = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    ACCESS.grant(id, userId, role);
    return id;
  }

  Api as(String userId) {
    return new Api(port, JWT, userId);
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }
}
