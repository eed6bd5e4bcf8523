package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.LocalStack;
import dev.constellation.system.chaos.StackFaults;
import java.io.IOException;
import java.net.ServerSocket;
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
 * of the first leaves no service or redis-server behind — not even a service still starting.
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
    // Four service JVMs, each of which must go with the launcher (OneJvmStackIT covers one JVM).
    env.put("LOCAL_ONE_JVM", "0");
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
      // Once the launcher has started its children (redis-server and the wire server listen,
      // four service JVMs run — ready or still starting), it is what `make run` leaves behind.
      int redisPort = ports.get("redis-server");
      int mongoPort = ports.get("MongoDB-wire server");
      StackFaults.await(
          Duration.ofSeconds(120),
          "the first launcher starts its processes",
          () ->
              !first.isAlive()
                  || (StackFaults.accepts("127.0.0.1", redisPort)
                      && StackFaults.accepts("127.0.0.1", mongoPort)
                      && javaChildren(first).size() == 4));
      assertThat(first.isAlive())
          .as("first launcher alive; its output:\n" + read(firstLog))
          .isTrue();

      // A second launcher on the same ports: a clear message naming them, a failing exit, nothing
      // started.
      Path secondLog = data.resolve("second-launcher.out");
      Process second = launcher(env, secondLog);
      assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("second launcher exits").isTrue();
      String said = read(secondLog);
      assertThat(second.exitValue()).as(said).isNotZero();
      assertThat(said)
          .contains("already in use")
          .contains("nothing was started")
          .contains(redisPort + " (redis-server)")
          .contains(mongoPort + " (MongoDB-wire server)");
      assertThat(said)
          .as("it started no storage of its own")
          .doesNotContain("storage    ")
          .doesNotContain("ready on");
      assertThat(first.isAlive()).as("the first launcher is untouched").isTrue();

      // kill -9 of the launcher: every process it started goes, and every port is freed.
      List<ProcessHandle> started = new ArrayList<>(first.toHandle().descendants().toList());
      assertThat(javaChildren(first)).as("the four service JVMs").hasSize(4);
      // redis-server: the one child neither a JVM nor the shell that watches it (its executable may
      // be a link).
      assertThat(
              started.stream()
                  .filter(
                      p ->
                          p.info()
                              .command()
                              .map(c -> !c.endsWith("java") && !c.endsWith("sh"))
                              .orElse(false)))
          .as("redis-server")
          .hasSize(1);
      first.destroyForcibly();
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      // Bounded generously: on a loaded machine a JVM that is still starting takes a while to exit.
      StackFaults.await(
          Duration.ofSeconds(150),
          "every process of the killed launcher exits: " + alive(started),
          () -> started.stream().noneMatch(ProcessHandle::isAlive));
      for (var entry : ports.entrySet()) {
        StackFaults.await(
            Duration.ofSeconds(10),
            entry.getKey() + " port " + entry.getValue() + " is free",
            () -> !StackFaults.accepts("127.0.0.1", entry.getValue()));
      }
    } finally {
      first.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      first.destroyForcibly();
    }
  }

  private static String alive(List<ProcessHandle> processes) {
    return processes.stream()
        .map(p -> p.pid() + " " + p.info().command().orElse("?"))
        .toList()
        .toString();
  }

  private static List<ProcessHandle> javaChildren(Process launcher) {
    return launcher
        .toHandle()
        .children()
        .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
        .toList();
  }

  private static Process launcher(Map<String, String> env, Path output) throws IOException {
    Path jar = ROOT.resolve("libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar");
    assertThat(jar).as("build the launcher first (mvn package)").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(java, "-Dconstellation.root=" + ROOT, "-jar", jar.toString())
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().putAll(env);
    return builder.start();
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
