package dev.constellation.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service running as its own JVM, its output appended to a log file. */
public final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final String address;
  private final int port;
  private final Path jar;
  private Map<String, String> env;
  private final Path logFile;
  private final List<String> jvmArgs;
  // What follows the JVM options: by default the boot jar and its address and port.
  private final List<String> launch;
  private Process process;

  /**
   * {@code address} is what the service binds ({@code server.address}); 127.0.0.1 in local mode.
   */
  public ServiceProcess(
      String name,
      String address,
      int port,
      Path jar,
      Map<String, String> env,
      Path logFile,
      List<String> jvmArgs) {
    this.name = name;
    this.address = address;
    this.port = port;
    this.jar = jar;
    this.env = Map.copyOf(env);
    this.logFile = logFile;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.launch =
        List.of("-jar", jar.toString(), "--server.address=" + address, "--server.port=" + port);
  }

  /**
   * A JVM started with {@code launch} after its options instead of a boot jar (the one-JVM host of
   * all four services); {@code address} and {@code port} are where it answers readiness.
   */
  public ServiceProcess(
      String name,
      String address,
      int port,
      List<String> launch,
      Map<String, String> env,
      Path logFile,
      List<String> jvmArgs) {
    this.name = name;
    this.address = address;
    this.port = port;
    this.jar = null;
    this.env = Map.copyOf(env);
    this.logFile = logFile;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.launch = List.copyOf(launch);
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://" + connectHost() + ":" + port;
  }

  /** The address it was told to listen on. */
  public String address() {
    return address;
  }

  private String connectHost() {
    boolean wildcard = address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    if (wildcard) return "127.0.0.1";
    return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
  }

  public Path logFile() {
    return logFile;
  }

  public synchronized ServiceProcess start() throws IOException {
    if (process != null && process.isAlive()) throw new IOException(name + " is already running");
    if (jar != null && !Files.isRegularFile(jar)) {
      throw new IOException(jar + " is missing: build first (mvn -q package -DskipTests)");
    }
    Files.createDirectories(logFile.getParent());
    var command = new java.util.ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(launch);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().putAll(env);
    process = builder.start();
    return this;
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Waits until readiness reports UP; fails early when the process dies. */
  public void awaitReady(Duration timeout) throws IOException, InterruptedException {
    awaitReady(baseUrl(), timeout);
  }

  /** Waits until readiness at {@code baseUrl} (a service inside this process) reports UP. */
  public void awaitReady(String baseUrl, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    while (System.nanoTime() < deadline) {
      if (!isAlive()) {
        throw new IOException(name + " exited during start-up; see " + logFile);
      }
      try {
        if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new IOException(
        name + " was not ready within " + timeout.toSeconds() + " s; see " + logFile);
  }

  /** For a run that ends by itself: its exit code, or -1 when it was killed after the timeout. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    Process running;
    synchronized (this) {
      running = process;
    }
    if (running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return running.exitValue();
    running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    return -1;
  }

  /** Stops the service gracefully and starts it again with {@code changes} in its environment. */
  public synchronized void restartWith(Map<String, String> changes) throws IOException {
    Map<String, String> merged = new java.util.HashMap<>(env);
    merged.putAll(changes);
    env = Map.copyOf(merged);
    close();
    start();
  }

  /** Asks for a graceful stop without waiting for it. */
  public synchronized void requestStop() {
    if (process != null) process.destroy();
  }

  /** Asks for a graceful stop, then insists. */
  @Override
  public synchronized void close() {
    if (process == null) return;
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Kills at once, as a crash would. */
  public synchronized void kill() throws InterruptedException {
    if (process == null) return;
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** The service's process, for tests that look at it from outside. */
  public synchronized java.util.Optional<ProcessHandle> handle() {
    return process == null ? java.util.Optional.empty() : java.util.Optional.of(process.toHandle());
  }
}
