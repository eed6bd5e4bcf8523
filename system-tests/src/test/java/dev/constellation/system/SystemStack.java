package dev.constellation.system;

import dev.constellation.localstack.LocalStack;
import dev.constellation.localstack.TestInfrastructure;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole IDE as `make run` starts it — four service JVMs, a MongoDB-wire server and a real
 * redis-server — on free ports and fresh data, once per test JVM and shared by every class.
 */
public final class SystemStack {
  /** Looks like a real key so that a leak of it into any log is caught by the log check. */
  public static final String FAKE_API_KEY = "sk-ant-system-test-0123456789abcdef";

  private static LocalStack stack;
  private static Process fakeAnthropic;
  private static Map<String, String> settings;
  private static String fakeAnthropicUrl;

  /**
   * Each user's daily AI token budget in the stack: room for a few answers at once, not for many.
   */
  public static final long AI_DAILY_TOKEN_BUDGET = 40_000;

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
        settings.put(
            "WORKSPACE_RUNTIME", System.getenv().getOrDefault("WORKSPACE_RUNTIME", "auto"));
        // Our own installation id and network: the reconciler removes containers of its
        // installation that it has no record of, and must never see anyone else's.
        String installation = "systest-" + Long.toHexString(System.nanoTime());
        settings.put("WORKSPACE_INSTALLATION_ID", installation);
        settings.put("WORKSPACE_NETWORK_NAME", installation);
        // Previews reach a workspace at its container IP: that needs a workspace network with a
        // host address, which WORKSPACE_EGRESS=true gives (egress off makes it host-less).
        if (System.getenv("WORKSPACE_EGRESS") != null)
          settings.put("WORKSPACE_EGRESS", System.getenv("WORKSPACE_EGRESS"));
        settings.put("PATH", System.getenv("PATH"));
        settings.put("HOME", System.getenv().getOrDefault("HOME", "/tmp"));
        // Small enough that security/DiskAttacksIT can exhaust them in a few requests.
        settings.put("IMPORT_MAX_UPLOAD", "8MB");
        settings.put("WORKSPACE_PROJECT_QUOTA", "24MB");
        for (var spec : LocalStack.SERVICES) {
          settings.put(
              spec.name().toUpperCase().replace('-', '_') + "_PORT", String.valueOf(freePort()));
        }
        int fakePort = freePort();
        fakeAnthropic = startFakeAnthropic(root, fakePort, data);
        settings.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + fakePort);
        settings.put("ANTHROPIC_API_KEY", FAKE_API_KEY);
        fakeAnthropicUrl = "http://127.0.0.1:" + fakePort;
        settings.put("AI_DAILY_TOKEN_BUDGET", String.valueOf(AI_DAILY_TOKEN_BUDGET));
        settings.put("AI_USER_CONCURRENCY", String.valueOf(AI_USER_CONCURRENCY));
        stack = new LocalStack(root, settings);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      stack.close();
                      fakeAnthropic.destroy();
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

  public static boolean dockerRequired() {
    return "1".equals(System.getenv("REQUIRE_DOCKER"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
