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
final class SystemStack {
  private static LocalStack stack;
  private static Map<String, String> settings;

  private SystemStack() {}

  static synchronized LocalStack get() {
    if (stack == null) {
      try {
        Path root = Path.of(System.getProperty("constellation.root", "..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory("constellation-system-");
        settings = new HashMap<>();
        settings.put("CONSTELLATION_DATA_DIR", data.toString());
        settings.put("JWT_SECRET", TestInfrastructure.JWT_SECRET);
        settings.put("LOCAL_MONGO_PORT", "0");
        settings.put("LOCAL_REDIS_PORT", "0");
        settings.put("WORKSPACE_RUNTIME", System.getenv().getOrDefault("WORKSPACE_RUNTIME", "auto"));
        settings.put("PATH", System.getenv("PATH"));
        settings.put("HOME", System.getenv().getOrDefault("HOME", "/tmp"));
        for (var spec : LocalStack.SERVICES) {
          settings.put(spec.name().toUpperCase().replace('-', '_') + "_PORT", String.valueOf(freePort()));
        }
        stack = new LocalStack(root, settings);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
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

  static String gatewayUrl() {
    return "http://127.0.0.1:" + get().gatewayPort();
  }

  static String serviceUrl(String name) {
    return get().service(name).baseUrl();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
