package dev.constellation.localstack;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.embedded.RedisServer;

/**
 * A real redis-server: the system's when one is installed, otherwise the binary shipped inside the
 * embedded-redis artifact. Either way the services talk to genuine Redis over TCP.
 */
public final class LocalRedis implements AutoCloseable {
  private final int port;
  private final Process systemProcess;
  private final RedisServer embedded;

  private LocalRedis(int port, Process systemProcess, RedisServer embedded) {
    this.port = port;
    this.systemProcess = systemProcess;
    this.embedded = embedded;
  }

  /**
   * Starts redis-server on {@code port} (0 = any free port) keeping its append-only file in {@code
   * dir}, or nothing on disk when {@code dir} is null.
   */
  public static LocalRedis start(int port, Path dir) throws IOException {
    int chosen = port == 0 ? freePort() : port;
    List<String> settings =
        new java.util.ArrayList<>(List.of("bind 127.0.0.1", "protected-mode yes"));
    if (dir != null) {
      Files.createDirectories(dir);
      // appendfsync always: a write Redis acknowledged (a disabled-user flag, an audit event not
      // yet
      // stored by project-service) survives a crash of redis-server or of the machine.
      settings.addAll(
          List.of(
              "dir " + dir.toAbsolutePath(), "appendonly yes", "appendfsync always", "save \"\""));
    } else {
      settings.addAll(List.of("appendonly no", "save \"\""));
    }
    Path systemBinary = findOnPath("redis-server");
    if (systemBinary != null) {
      List<String> command =
          new java.util.ArrayList<>(
              List.of(systemBinary.toString(), "--port", String.valueOf(chosen)));
      for (String setting : settings) {
        String[] parts = setting.split(" ", 2);
        command.add("--" + parts[0]);
        command.add(parts[1].equals("\"\"") ? "" : parts[1]);
      }
      Process process =
          new ProcessBuilder(watchedByStdin(command))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      LocalRedis redis = new LocalRedis(chosen, process, null);
      redis.awaitListening();
      return redis;
    }
    var builder = RedisServer.newRedisServer().port(chosen);
    settings.forEach(builder::setting);
    RedisServer server = builder.build();
    server.start();
    return new LocalRedis(chosen, null, server);
  }

  /**
   * Runs the command under a small shell that kills it when our end of its stdin closes — which the
   * kernel does when this JVM dies, even by {@code kill -9}: redis-server has no parent-death
   * option of its own and would otherwise outlive the launcher on its port.
   */
  private static List<String> watchedByStdin(List<String> command) {
    String script =
        "exec 3<&0; \"$0\" \"$@\" 3<&- </dev/null & child=$!; "
            + "( read -r _ <&3; kill $child 2>/dev/null ) & watcher=$!; exec 3<&-; "
            + "wait $child; status=$?; kill $watcher 2>/dev/null; exit $status";
    List<String> wrapped = new java.util.ArrayList<>(List.of("/bin/sh", "-c", script));
    wrapped.addAll(command);
    return wrapped;
  }

  private static Path findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) return candidate;
    }
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) return candidate;
    }
    return null;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!systemProcess.isAlive())
        throw new IOException("redis-server exited at once; is port " + port + " taken?");
      try (var socket = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for redis-server");
        }
      }
    }
    throw new IOException("redis-server did not listen on port " + port + " within 10 s");
  }

  public int port() {
    return port;
  }

  /** Whether redis-server still runs (for the launcher's supervisor). */
  public boolean isAlive() {
    if (systemProcess != null) return systemProcess.isAlive();
    return embedded.isActive();
  }

  /** The redis-server process itself (not its watching shell), for tests that kill it. */
  public java.util.Optional<ProcessHandle> serverProcess() {
    if (systemProcess == null) return java.util.Optional.empty();
    // Its executable may be a link (Debian: redis-server -> redis-check-rdb): match the shell
    // instead.
    return systemProcess
        .toHandle()
        .children()
        .filter(p -> p.info().command().map(c -> !c.endsWith("sh")).orElse(false))
        .findFirst();
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    if (systemProcess != null) {
      // Closing its stdin makes the watching shell stop redis-server (SIGTERM: it flushes the AOF).
      try {
        systemProcess.getOutputStream().close();
        if (systemProcess.waitFor(5, TimeUnit.SECONDS)) return;
      } catch (IOException ignored) {
        // Fall back to signals.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      serverProcess().ifPresent(ProcessHandle::destroy);
      systemProcess.destroy();
      try {
        if (!systemProcess.waitFor(5, TimeUnit.SECONDS)) systemProcess.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        systemProcess.destroyForcibly();
      }
    } else {
      try {
        embedded.stop();
      } catch (IOException ignored) {
        // Already gone: nothing left to stop.
      }
    }
  }
}
