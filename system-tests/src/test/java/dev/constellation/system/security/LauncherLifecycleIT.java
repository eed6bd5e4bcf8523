package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.LocalStack;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A18: the real {@code make run} launcher ({@code java -jar local-stack-…-exec.jar}) on its own
 * ports and data: a second one refuses taken ports before starting anything, and a {@code kill -9}
 * of the first leaves no service or redis-server behind.
 */
class LauncherLifecycleIT {
  private static final Path ROOT =
      Path.of(System.getProperty("constellation.root", "..")).toAbsolutePath().normalize();

  @Test
  @Checklist({"A18"})
  void servicesDieWithAKilledLauncherAndASecondLauncherRefusesTakenPorts() throws Exception {
    Path data = ROOT.resolve("system-tests/target/launcher-lifecycle");
    deleteRecursively(data);
    Files.createDirectories(data);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CONSTELLATION_DATA_DIR", data.toString());
    env.put("JWT_SECRET", "launcher-lifecycle-secret-that-is-long-enough-for-hs256");
    env.put("WORKSPACE_RUNTIME", "local");
    String installation = "launcher-it-" + Long.toHexString(System.nanoTime());
    env.put("WORKSPACE_INSTALLATION_ID", installation);
    env.put("WORKSPACE_NETWORK_NAME", installation);
    env.put("ANTHROPIC_API_KEY", "sk-ant-launcher-test-0123456789abcdef");
    env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + freePort());
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (var spec : LocalStack.SERVICES) {
      int port = freePort();
      ports.put(spec.name(), port);
      env.put(spec.name().toUpperCase().replace('-', '_') + "_PORT", String.valueOf(port));
    }
    ports.put("redis-server", freePort());
    ports.put("MongoDB-wire server", freePort());
    env.put("LOCAL_REDIS_PORT", String.valueOf(ports.get("redis-server")));
    env.put("LOCAL_MONGO_PORT", String.valueOf(ports.get("MongoDB-wire server")));

    Path firstLog = data.resolve("first-launcher.out");
    Process first = launcher(env, firstLog);
    try {
      StackFaults.await(Duration.ofSeconds(360), "the first launcher reports the IDE running",
          () -> read(firstLog).contains("Constellation IDE is running") || !first.isAlive());
      assertThat(first.isAlive()).as("first launcher alive; its output:\n" + read(firstLog)).isTrue();
      int gateway = ports.get("api-gateway");
      assertThat(health(gateway)).isEqualTo(200);

      // A second launcher on the same ports: a clear message naming them, a failing exit, nothing started.
      Path secondLog = data.resolve("second-launcher.out");
      Process second = launcher(env, secondLog);
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("second launcher exits").isTrue();
      String said = read(secondLog);
      assertThat(second.exitValue()).as(said).isNotZero();
      assertThat(said).contains("already in use").contains(String.valueOf(gateway)).contains("api-gateway")
          .contains(String.valueOf(ports.get("redis-server")));
      assertThat(said).doesNotContain("ready on");
      assertThat(Files.exists(data.resolve("local-stack.pid"))).as("the running stack's pid file is kept").isTrue();
      assertThat(health(gateway)).as("the first stack still serves").isEqualTo(200);

      // kill -9 of the launcher: every process it started goes, and every port is freed.
      List<ProcessHandle> started = new ArrayList<>(first.toHandle().descendants().toList());
      assertThat(started.stream().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false)))
          .as("the four service JVMs").hasSize(4);
      assertThat(started.stream().filter(p -> p.info().command().map(c -> c.endsWith("redis-server")).orElse(false)))
          .as("redis-server").hasSize(1);
      first.destroyForcibly();
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      StackFaults.await(Duration.ofSeconds(45), "every process of the killed launcher exits: " + alive(started),
          () -> started.stream().noneMatch(ProcessHandle::isAlive));
      for (var entry : ports.entrySet()) {
        StackFaults.await(Duration.ofSeconds(10), entry.getKey() + " port " + entry.getValue() + " is free",
            () -> !StackFaults.accepts("127.0.0.1", entry.getValue()));
      }
    } finally {
      first.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      first.destroyForcibly();
    }
  }

  private static Process launcher(Map<String, String> env, Path output) throws IOException {
    Path jar = ROOT.resolve("libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar");
    assertThat(jar).as("build the launcher first (mvn package)").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Dconstellation.root=" + ROOT, "-jar", jar.toString())
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static int health(int port) {
    try {
      return HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String alive(List<ProcessHandle> processes) {
    return processes.stream().filter(ProcessHandle::isAlive)
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList().toString();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) return;
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
