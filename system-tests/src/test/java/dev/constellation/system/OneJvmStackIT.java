package dev.constellation.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.LocalStack;
import dev.constellation.localstack.TestInfrastructure;
import dev.constellation.system.chaos.StackFaults;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code LOCAL_ONE_JVM=1}: the four services in one JVM behave as the IDE does with four — a user
 * signs up, signs in and opens a project through the gateway (which checks the token that
 * project-service's sign-in signed, so both got the same settings) — and each service's log holds
 * only its own lines.
 */
class OneJvmStackIT {
  private static final Path ROOT =
      Path.of(System.getProperty("constellation.root", "..")).toAbsolutePath().normalize();
  private static final Pattern SERVICE_FIELD = Pattern.compile("\"service\":\"([a-z-]+)\"");

  @Test
  void fourServicesInOneJvmServeAUserAndKeepTheirLogsApart() throws Exception {
    Path data = ROOT.resolve("system-tests/target/one-jvm-stack");
    deleteRecursively(data);
    Files.createDirectories(data);
    Map<String, String> settings = new HashMap<>();
    settings.put("LOCAL_ONE_JVM", "1");
    settings.put("CONSTELLATION_DATA_DIR", data.toString());
    settings.put("JWT_SECRET", TestInfrastructure.JWT_SECRET);
    settings.put("LOCAL_MONGO_PORT", "0");
    settings.put("LOCAL_REDIS_PORT", "0");
    settings.put("WORKSPACE_RUNTIME", "local");
    settings.put("PATH", System.getenv("PATH"));
    settings.put("HOME", System.getenv().getOrDefault("HOME", "/tmp"));
    for (var spec : LocalStack.SERVICES) {
      settings.put(
          spec.name().toUpperCase().replace('-', '_') + "_PORT", String.valueOf(freePort()));
    }
    try (LocalStack stack = new LocalStack(ROOT, settings)) {
      stack.start();
      String gateway = "http://127.0.0.1:" + stack.gatewayPort();

      // One JVM listens on all four ports.
      long host = stack.service("services").handle().orElseThrow().pid();
      for (var spec : LocalStack.SERVICES) {
        assertThat(StackFaults.listenersOn(stack.port(spec))).as(spec.name()).isNotEmpty();
      }
      assertThat(ProcessHandle.of(host).map(ProcessHandle::isAlive)).contains(true);

      Api api = new Api(gateway);
      Api.Session user = api.register("one-jvm");
      HttpResponse<String> created =
          api.send(
              "POST",
              "/api/projects",
              user.accessToken(),
              Map.of("name", "one JVM", "templateId", "blank"));
      assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
      String id = Api.json(created).get("id").asString();
      HttpResponse<String> read = api.get("/api/projects/" + id, user.accessToken());
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      assertThat(Api.json(read).get("name").asString()).isEqualTo("one JVM");

      for (var spec : LocalStack.SERVICES) {
        Path log = data.resolve("logs").resolve(spec.name() + ".log");
        Set<String> named = servicesNamedIn(log);
        assertThat(named).as(log + " names the service of each line").containsExactly(spec.name());
      }
    }
  }

  private static Set<String> servicesNamedIn(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return lines.stream()
        .map(SERVICE_FIELD::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .collect(Collectors.toSet());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
        Files.delete(path);
    }
  }
}
