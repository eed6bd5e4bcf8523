package dev.constellation.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The MongoDB-wire server ({@link MongoWireServer}) in a process of its own, so that the fault
 * tests can do to the database what happens to a real one: {@code kill -9} it, or freeze it with
 * SIGSTOP. (In {@code make run} it stays inside the launcher's JVM: one process fewer.) It exits
 * when its parent is gone: its stdin is a pipe from the parent, which the kernel closes however the
 * parent ends.
 */
final class MongoWireProcess implements AutoCloseable {
  private final Path file;
  private final Path log;
  private final int port;
  private Process process;

  private MongoWireProcess(Path file, Path log, int port) {
    this.file = file;
    this.log = log;
    this.port = port;
  }

  /** Starts the server on {@code port} (0 = a free one), persisted to {@code file}. */
  static MongoWireProcess start(Path file, Path log, int port) throws IOException {
    if (port == 0) {
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
    }
    MongoWireProcess server = new MongoWireProcess(file, log, port);
    server.start();
    return server;
  }

  int port() {
    return port;
  }

  synchronized void start() throws IOException {
    if (process != null && process.isAlive()) return;
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.createDirectories(log.toAbsolutePath().getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp"));
    command.add(System.getProperty("java.class.path"));
    command.add(MongoWireServer.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("MONGO_WIRE_HOST", "127.0.0.1");
    builder.environment().put("MONGO_WIRE_PORT", Integer.toString(port));
    builder.environment().put("MONGO_WIRE_FILE", file.toAbsolutePath().toString());
    builder.environment().put("MONGO_WIRE_EXIT_WITH_PARENT", "1");
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive())
        throw new IOException("the MongoDB-wire server exited at start; see " + log);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while the MongoDB-wire server started", e);
        }
      }
    }
    process.destroyForcibly();
    throw new IOException("the MongoDB-wire server did not listen within 60 s; see " + log);
  }

  /** The running server process, for tests that kill or freeze it. */
  synchronized Optional<ProcessHandle> handle() {
    return process != null && process.isAlive()
        ? Optional.of(process.toHandle())
        : Optional.empty();
  }

  /** A clean stop (SIGTERM: the H2 file is closed by the server's shutdown hook). */
  @Override
  public synchronized void close() {
    if (process == null) return;
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS))
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
