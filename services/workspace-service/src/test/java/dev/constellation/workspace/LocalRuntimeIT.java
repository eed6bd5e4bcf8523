package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.auth.JwtCodec;
import dev.constellation.localstack.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same API on host processes (WORKSPACE_RUNTIME=local), in a context of its own. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LocalRuntimeIT {
  static final JwtCodec JWT =
      new JwtCodec(
          TestInfrastructure.JWT_SECRET, "constellation", "constellation-api", Clock.systemUTC());
  static final AccessStub ACCESS = new AccessStub(JWT);
  static final Path ROOT;

  static {
    try {
      ROOT = Files.createTempDirectory("workspaces-local-it");
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> DockerSupport.run("rm", "-rf", ROOT.toString())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.mongodb.uri", () -> TestInfrastructure.mongo().uri());
    registry.add("spring.mongodb.database", () -> "workspaces_local_it");
    registry.add("spring.data.redis.url", () -> TestInfrastructure.redis().url());
    registry.add("constellation.auth.jwt-secret", () -> TestInfrastructure.JWT_SECRET);
    registry.add("constellation.services.project-url", ACCESS::url);
    registry.add("workspace.runtime", () -> "local");
    registry.add("workspace.root", ROOT::toString);
  }

  private static String project(String user) {
    String id = "l" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    ACCESS.grant(id, user, "OWNER");
    return id;
  }

  @Test
  void filesExecAndTerminalWorkOnHostProcesses() throws Exception {
    String p = project("solo");
    Api api = new Api(port, JWT, "solo");
    assertThat(
            api.post("/api/projects/" + p + "/workspace/start", null)
                .json()
                .get("runtime")
                .asString())
        .isEqualTo("local");

    var put =
        api.send(
            "PUT",
            "/api/projects/" + p + "/files/content?path=" + Api.q("src/a.txt"),
            "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    var r = api.exec(p, "cat src/a.txt; pwd; echo err >&2; exit 4");
    assertThat(r.get("stdout").asString())
        .isEqualTo("hello" + ROOT.resolve(p).toAbsolutePath() + "\n");
    assertThat(r.get("stderr").asString()).isEqualTo("err\n");
    assertThat(r.get("exitCode").asInt()).isEqualTo(4);

    // The sandbox hides the rest of the workspaces root and keeps the host read-only.
    String sibling = project("solo");
    Files.createDirectories(ROOT.resolve(sibling));
    Files.writeString(ROOT.resolve(sibling).resolve("secret"), "s");
    var sandbox =
        api.exec(
            p,
            "ls "
                + ROOT.resolve(sibling)
                + " 2>&1 || true; touch /usr/x 2>/dev/null && echo host-writable; echo done");
    assertThat(sandbox.get("stdout").asString())
        .doesNotContain("secret")
        .doesNotContain("host-writable")
        .endsWith("done\n");

    var timed =
        api.post(
            "/api/projects/" + p + "/exec",
            Api.JSON.writeValueAsString(Map.of("command", "sleep 30", "timeoutSeconds", 1)));
    assertThat(timed.json().get("timedOut").asBoolean()).isTrue();

    api.exec(p, "ln -s /etc/passwd link");
    assertThat(api.get("/api/projects/" + p + "/files/content?path=link").status()).isEqualTo(400);

    Api.Terminal t = api.connect(p, api.ticket(p), null).get(20, TimeUnit.SECONDS);
    t.type("echo hi\n");
    assertThat(t.await(Pattern.compile("(?m)^hi$"), Duration.ofSeconds(15))).as(t.clean()).isTrue();
    t.type("{\"type\":\"resize\",\"cols\":100,\"rows\":30}");
    Thread.sleep(200);
    t.type("stty size\n");
    assertThat(t.await(Pattern.compile("(?m)^30 100$"), Duration.ofSeconds(10)))
        .as(t.clean())
        .isTrue();

    api.post("/api/projects/" + p + "/workspace/stop", null);
    assertThat(t.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
  }

  @Test
  void aSecondAccountIsRefusedBecauseTheLocalRuntimeIsSingleUser() {
    Api first = new Api(port, JWT, "solo");
    String mine = project("solo");
    assertThat(first.post("/api/projects/" + mine + "/workspace/start", null).status())
        .isEqualTo(200);
    String theirs = project("intruder");
    var refused =
        new Api(port, JWT, "intruder").post("/api/projects/" + theirs + "/workspace/start", null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("type").asString()).endsWith("/local-runtime-single-user");
    assertThat(
            new Api(port, JWT, "intruder")
                .post("/api/projects/" + theirs + "/exec", "{\"command\":\"id\"}")
                .status())
        .isEqualTo(409);
  }

  private static boolean hostRuns(String args) {
    return ProcessHandle.allProcesses()
        .anyMatch(h -> h.info().commandLine().map(c -> c.endsWith(args)).orElse(false));
  }

  @Test
  void droppingAStreamedExecKillsItsProcessesOnTheHostToo() throws Exception {
    String p = project("solo");
    Api api = new Api(port, JWT, "solo");
    api.post("/api/projects/" + p + "/workspace/start", null);
    var s =
        ExecStreamClient.open(
            port,
            api.token,
            p,
            Map.of("command", "sh -c 'sleep 4; touch late-marker' & echo started; sleep 303"));
    assertThat(s.status).isEqualTo(200);
    var line = s.nextLine();
    while (line != null && !line.path("text").asString("").contains("started")) line = s.nextLine();
    assertThat(line).isNotNull();
    assertThat(hostRuns("sleep 303")).isTrue();
    s.close();
    long closedAt = System.nanoTime();
    while (hostRuns("sleep 303") && System.nanoTime() - closedAt < TimeUnit.SECONDS.toNanos(5))
      Thread.sleep(20);
    assertThat((System.nanoTime() - closedAt) / 1_000_000).isLessThan(1000);
    assertThat(hostRuns("sleep 4")).isFalse();
    Thread.sleep(5000);
    assertThat(Files.exists(ROOT.resolve(p).resolve("late-marker"))).isFalse();
  }
}
