package dev.constellation.system;

import dev.constellation.fakeanthropic.FakeAnthropic;
import dev.constellation.localstack.LocalStack;
import dev.constellation.localstack.TestInfrastructure;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole IDE as `make run` starts it — four service JVMs, a MongoDB-wire server and a real
 * redis-server — on free ports and fresh data, once per test JVM and shared by every class.
 */
public final class SystemStack {
  /** Looks like a real key so that a leak of it into any log is caught by the log check. */
  public static final String FAKE_API_KEY = "sk-ant-system-test-0123456789abcdef";

  private static LocalStack stack;
  private static String network;

  /** The installation's proxy settings, passed into every workspace. */
  public static final String OUTBOUND_HTTP_PROXY = "http://proxy.constellation.invalid:3128";

  public static final String OUTBOUND_HTTPS_PROXY = "http://proxy.constellation.invalid:3129";
  public static final String OUTBOUND_NO_PROXY = "localhost,127.0.0.1,198.18.0.0/15";

  /** Stands in for a corporate CA bundle: only its passage into the workspace is tested. */
  public static final String OUTBOUND_CA_PEM =
      "-----BEGIN CERTIFICATE-----\nY29uc3RlbGxhdGlvbiB0ZXN0IENB\n-----END CERTIFICATE-----\n";

  private static Process fakeAnthropic;
  private static FakeAnthropic scriptedAnthropic;
  private static Map<String, String> settings;
  private static String fakeAnthropicUrl;

  /**
   * Each user's daily AI token budget in the stack: room for a few answers at once, not for many.
   */
  public static final long AI_DAILY_TOKEN_BUDGET = 40_000;

  /**
   * Each project's daily AI token budget, all its members together: one and a half users' worth, so
   * that a few members at once run out of it (security/AiBudgetIT).
   */
  public static final long AI_PROJECT_DAILY_TOKEN_BUDGET = 60_000;

  /**
   * Memory all paused workspaces together may hold (WORKSPACE_PAUSED_MAX_MEMORY): small enough that
   * two workspaces holding two thirds of it each exceed it (security/PausedWorkspacesIT).
   */
  public static final long PAUSED_MAX_MEMORY_MB = 192;

  /** AI calls one user may have running at once. */
  public static final int AI_USER_CONCURRENCY = 3;

  private SystemStack() {}

  public static synchronized LocalStack get() {
    if (stack == null) {
      try {
        Path root =
            Path.of(System.getProperty("constellation.root", "..")).toAbsolutePath().normalize();
        // Under target/ so that the log-secrets check reads what the services wrote.
        Path data = root.resolve("system-tests/target/system-stack");
        deleteRecursively(data);
        Files.createDirectories(data);
        settings = new HashMap<>();
        settings.put("CONSTELLATION_DATA_DIR", data.toString());
        settings.put("JWT_SECRET", TestInfrastructure.JWT_SECRET);
        settings.put("LOCAL_MONGO_PORT", "0");
        settings.put("LOCAL_REDIS_PORT", "0");
        // The launcher restarts a dead redis-server after this long: long enough for the outage
        // tests to see the 503s, short enough for them to see the recovery
        // (security/StorageOutageIT).
        settings.put("LOCAL_RESTART_DELAY_MS", "6000");
        // The database server in a process of its own, so that the fault tests can kill -9 or
        // freeze it like a real one (chaos/FaultRecoveryIT, chaos/StoresUnreachableIT).
        settings.put("LOCAL_MONGO_PROCESS", "true");
        // Audit events a dead consumer left pending are taken over after 2 s, not 60 s
        // (chaos/AuditResumeIT).
        settings.put("AUDIT_RECLAIM_MIN_IDLE", "2s");
        settings.put("AUDIT_RECLAIM_INTERVAL", "1s");
        settings.put(
            "WORKSPACE_RUNTIME", System.getenv().getOrDefault("WORKSPACE_RUNTIME", "auto"));
        // Our own installation id and network: the reconciler removes containers of its
        // installation that it has no record of, and must never see anyone else's.
        String installation = "systest-" + Long.toHexString(System.nanoTime());
        settings.put("WORKSPACE_INSTALLATION_ID", installation);
        settings.put("WORKSPACE_NETWORK_NAME", installation);
        network = installation;
        // A run can try a freshly built image before it becomes the default one.
        if (System.getenv("WORKSPACE_IMAGE") != null)
          settings.put("WORKSPACE_IMAGE", System.getenv("WORKSPACE_IMAGE"));
        // What an installation behind a proxy sets; nothing in the suite goes through the proxy
        // (its host does not resolve), the namespace test host is in NO_PROXY
        // (security/WorkspaceEgressIT).
        settings.put("WORKSPACE_HTTP_PROXY", OUTBOUND_HTTP_PROXY);
        settings.put("WORKSPACE_HTTPS_PROXY", OUTBOUND_HTTPS_PROXY);
        settings.put("WORKSPACE_NO_PROXY", OUTBOUND_NO_PROXY);
        Files.writeString(data.resolve("extra-ca.pem"), OUTBOUND_CA_PEM);
        settings.put("WORKSPACE_CA_CERTIFICATES", data.resolve("extra-ca.pem").toString());
        settings.put("PATH", System.getenv("PATH"));
        settings.put("HOME", System.getenv().getOrDefault("HOME", "/tmp"));
        // Small enough that security/DiskAttacksIT can exhaust them in a few requests.
        settings.put("IMPORT_MAX_UPLOAD", "8MB");
        settings.put("WORKSPACE_PROJECT_QUOTA", "24MB");
        settings.put("WORKSPACE_PAUSED_MAX_MEMORY", PAUSED_MAX_MEMORY_MB + "MB");
        for (var spec : LocalStack.SERVICES) {
          settings.put(
              spec.name().toUpperCase().replace('-', '_') + "_PORT", String.valueOf(freePort()));
        }
        int fakePort = freePort();
        fakeAnthropic = startFakeAnthropic(root, fakePort, data);
        fakeAnthropicUrl = "http://127.0.0.1:" + fakePort;
        // The Java fake answers what a test scripted (tool use, turn by turn, per FAKE-SCRIPT tag)
        // and hands everything else to the node fake, so every other test sees its behaviour.
        scriptedAnthropic = new FakeAnthropic(0, FAKE_API_KEY);
        scriptedAnthropic.forwardUnscriptedTo(fakeAnthropicUrl);
        settings.put("ANTHROPIC_BASE_URL", scriptedAnthropic.baseUrl());
        settings.put("ANTHROPIC_API_KEY", FAKE_API_KEY);
        settings.put("AI_DAILY_TOKEN_BUDGET", String.valueOf(AI_DAILY_TOKEN_BUDGET));
        settings.put(
            "AI_PROJECT_DAILY_TOKEN_BUDGET", String.valueOf(AI_PROJECT_DAILY_TOKEN_BUDGET));
        settings.put("AI_USER_CONCURRENCY", String.valueOf(AI_USER_CONCURRENCY));
        stack = new LocalStack(root, settings);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      stack.close();
                      scriptedAnthropic.close();
                      fakeAnthropic.destroy();
                      removeWorkspaceContainers();
                      removeWorkspaceFirewall(root);
                      docker("network", "rm", network);
                    }));
        stack.start();
      } catch (IOException e) {
        throw new IllegalStateException("the system stack did not start: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return stack;
  }

  /**
   * The fake Messages API (frontend/e2e/fake-anthropic.mjs); {@code GET /_fake/requests} reports
   * tagged requests.
   */
  public static String fakeAnthropicUrl() {
    get();
    return fakeAnthropicUrl;
  }

  /**
   * The scripted fake Messages API in front of the node one: {@code script(tag, …)} answers the
   * requests whose first user message holds {@code FAKE-SCRIPT:<tag>}.
   */
  public static FakeAnthropic anthropic() {
    get();
    return scriptedAnthropic;
  }

  /**
   * Where the stack keeps its data and logs ({@code logs/<service>.log}, {@code
   * fake-anthropic.log}).
   */
  public static Path dataDir() {
    Path root =
        Path.of(System.getProperty("constellation.root", "..")).toAbsolutePath().normalize();
    return root.resolve("system-tests/target/system-stack");
  }

  public static String gatewayUrl() {
    return "http://127.0.0.1:" + get().gatewayPort();
  }

  public static String serviceUrl(String name) {
    return get().service(name).baseUrl();
  }

  /**
   * The same fake Messages API the browser journey uses (frontend/e2e), so both speak one protocol.
   */
  private static Process startFakeAnthropic(Path root, int port, Path data) throws IOException {
    Path script = root.resolve("frontend/e2e/fake-anthropic.mjs");
    Process process =
        new ProcessBuilder("node", script.toString(), "--port", String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(data.resolve("fake-anthropic.log").toFile())
            .start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (var socket = new java.net.Socket("127.0.0.1", port)) {
        return process;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IOException("the fake Anthropic server did not start; is node installed?");
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) return;
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** The Docker network of the stack's workspaces (WORKSPACE_NETWORK_NAME). */
  public static String workspaceNetwork() {
    get();
    return network;
  }

  /**
   * The egress firewall workspace-service installed for this stack's network (when it ran as root)
   * outlives the stack; removed here, as an operator would with the same script.
   */
  private static void removeWorkspaceFirewall(Path root) {
    if (network == null || !"root".equals(System.getProperty("user.name"))) return;
    try {
      Process p =
          new ProcessBuilder(
                  root.resolve("deploy/scripts/workspace-firewall.sh").toString(),
                  "remove",
                  network)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException e) {
      // nothing to remove without iptables
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The suite's workspaces are its own: left behind, every run would add its containers to the
   * engine's (nothing adopts another installation's).
   */
  private static void removeWorkspaceContainers() {
    String ids = docker("ps", "-aq", "--filter", "label=dev.constellation.installation=" + network);
    List<String> command = new ArrayList<>(List.of("rm", "-f"));
    ids.lines().filter(id -> !id.isBlank()).forEach(command::add);
    if (command.size() > 2) docker(command.toArray(String[]::new));
  }

  /** Runs a docker command for clean-up and returns its output; "" when Docker is not there. */
  private static String docker(String... args) {
    if (network == null) return "";
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  public static boolean dockerRequired() {
    return "1".equals(System.getenv("REQUIRE_DOCKER"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
