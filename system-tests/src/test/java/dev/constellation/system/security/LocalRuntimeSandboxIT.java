package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.LocalStack;
import dev.constellation.localstack.ServiceProcess;
import dev.constellation.localstack.TestInfrastructure;
import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local runtime (host processes in bubblewrap), as `make run` without Docker would use it: a
 * second workspace-service with WORKSPACE_RUNTIME=local beside the shared stack, holding the same
 * kinds of secrets in its environment. A process in a workspace must see none of them, nor the
 * repository, the service's home or the user's runtime directory.
 */
class LocalRuntimeSandboxIT {
  static final String CANARY = "canary-" + Long.toHexString(System.nanoTime());
  static final String API_KEY = "sk-ant-local-runtime-" + CANARY;
  private static ServiceProcess local;
  private static Map<String, String> secrets;
  private static Path root;

  @BeforeAll
  static void startLocalWorkspaceService() throws Exception {
    LocalStack stack = SystemStack.get();
    root = Path.of(System.getProperty("constellation.root", "..")).toAbsolutePath().normalize();
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    secrets = new HashMap<>();
    secrets.put("JWT_SECRET", TestInfrastructure.JWT_SECRET);
    secrets.put("ANTHROPIC_API_KEY", API_KEY);
    secrets.put("MONGODB_URI", stack.mongoUri());
    secrets.put("REDIS_URL", "redis://127.0.0.1:" + WorkspaceIsolationIT.redisPort(stack));
    secrets.put("CONSTELLATION_CANARY", CANARY);
    Map<String, String> env = new HashMap<>(secrets);
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", System.getenv().getOrDefault("HOME", "/root"));
    env.put("SPRING_PROFILES_ACTIVE", "local");
    env.put("CONSTELLATION_DATA_DIR", stack.dataDir().toString());
    env.put("WORKSPACES_ROOT", stack.dataDir().resolve("workspaces").toString());
    env.put("PROJECT_SERVICE_URL", SystemStack.serviceUrl("project-service"));
    env.put("WORKSPACE_RUNTIME", "local");
    // Its own database: the single-user owner of the local runtime must not leak into the stack's.
    env.put("SPRING_MONGODB_DATABASE", "constellation_workspaces_local_sandbox");
    local =
        new ServiceProcess(
            "workspace-service",
            "127.0.0.1",
            port,
            root.resolve("services/workspace-service/target/workspace-service.jar"),
            env,
            stack.dataDir().resolve("logs/workspace-service-local.log"),
            List.of("-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:+UseSerialGC", "-Xmx256m"));
    local.start();
    local.awaitReady(Duration.ofSeconds(240));
  }

  @AfterAll
  static void stop() {
    if (local != null) local.close();
  }

  @Test
  @Checklist("A6")
  void localWorkspaceProcessesSeeNoSecretNoRepositoryAndNoHome() throws Exception {
    Workspaces.Project p = Workspaces.newProject("local-sandbox");
    // The shared stack's workspace-service (Docker) handed the new directory to the container's
    // uid; an installation on the local runtime keeps its files as the service's own user.
    Path directory = SystemStack.get().dataDir().resolve("workspaces").resolve(p.id());
    Process chown =
        new ProcessBuilder(
                "chown", "-R", "--reference=" + directory.getParent(), directory.toString())
            .inheritIO()
            .start();
    assertThat(chown.waitFor()).isZero();
    Api direct = new Api(local.baseUrl());
    try {
      String home = System.getenv().getOrDefault("HOME", "/root");
      String script =
          String.join(
              "\n",
              "echo mine > own-file; cat own-file",
              "echo '--- env'; env; echo '--- environ'; tr '\\0' '\\n' < /proc/self/environ; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; done 2>/dev/null",
              "echo '--- probes'",
              "for f in "
                  + root
                  + "/pom.xml "
                  + root
                  + "/services/workspace-service/pom.xml /etc/shadow /etc/gshadow; do [ -s \"$f\" ] && echo \"visible $f\"; done",
              "for d in "
                  + home
                  + " /root /run/user /run "
                  + root
                  + "/services "
                  + SystemStack.get().dataDir().resolve("logs")
                  + " "
                  + SystemStack.get().dataDir().resolve("mongo")
                  + "; do [ -d \"$d\" ] && echo \"visible $d\"; done",
              "[ -s own-file ] && [ -d /usr/bin ] && echo control-visible",
              "echo '--- id'; id -u; echo end");
      var response =
          direct.send(
              "POST",
              "/api/projects/" + p.id() + "/exec",
              p.owner().accessToken(),
              Map.of("command", script, "timeoutSeconds", 60));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      String out = Api.json(response).path("stdout").asString();
      // The exec really ran in the project, with the variables a shell needs.
      assertThat(out)
          .startsWith("mine\n")
          .contains("PATH=/usr/local/sbin:")
          .contains("HOME=")
          .endsWith("end\n");
      assertThat(out).as("workspace view").contains("control-visible").doesNotContain("visible /");
      for (var secret : secrets.entrySet()) {
        assertThat(out)
            .as("exec output leaks %s", secret.getKey())
            .doesNotContain(secret.getValue())
            .doesNotContain(secret.getKey() + "=");
      }

      TerminalClient terminal = TerminalClient.open(local.baseUrl(), p, true, "");
      try {
        assertThat(
                terminal.run(
                    "env | grep -c -E 'JWT_SECRET|ANTHROPIC|MONGODB_URI|REDIS_URL|CANARY'; echo env-$((1+1))",
                    "env-2",
                    Duration.ofSeconds(30)))
            .as(terminal.clean())
            .isTrue();
        assertThat(
                terminal.run(
                    "ls " + root + "/services " + home + " 2>/dev/null | wc -l; echo ls-$((2+1))",
                    "ls-3",
                    Duration.ofSeconds(30)))
            .as(terminal.clean())
            .isTrue();
        String shown = terminal.clean();
        assertThat(shown)
            .as("terminal")
            .containsPattern("(?m)^0$")
            .doesNotContain(CANARY)
            .doesNotContain(API_KEY)
            .doesNotContain(TestInfrastructure.JWT_SECRET);
        assertThat(shown.lines().filter(l -> l.matches("\\d+")).toList())
            .as("counts printed in the terminal")
            .containsOnly("0");
      } finally {
        terminal.close();
      }
    } finally {
      p.delete();
    }
  }
}
