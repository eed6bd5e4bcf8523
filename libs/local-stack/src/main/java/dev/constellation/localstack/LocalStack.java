package dev.constellation.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code make run}: the whole IDE on one machine with nothing to install. Storage, Redis and the
 * four services start as separate processes; Ctrl-C stops all of them.
 */
public final class LocalStack implements AutoCloseable {

  /** A service of ours: its name, port and the Maven module that builds it. */
  public record ServiceSpec(String name, int defaultPort) {
    Path jar(Path root) {
      return root.resolve("services").resolve(name).resolve("target").resolve(name + ".jar");
    }

    /** Prefix of this service's settings: API_GATEWAY, PROJECT_SERVICE, … */
    String envPrefix() {
      return name.toUpperCase().replace('-', '_');
    }
  }

  // The gateway last: it is what the user reaches, so it comes up once the rest can answer.
  public static final List<ServiceSpec> SERVICES =
      List.of(
          new ServiceSpec("project-service", 8002),
          new ServiceSpec("workspace-service", 8003),
          new ServiceSpec("claude-service", 8001),
          new ServiceSpec("api-gateway", 8000));

  private final Path root;
  private final Map<String, String> settings;
  private final Path dataDir;
  private EmbeddedMongo mongo;
  private LocalRedis redis;
  private final List<ServiceProcess> services = new ArrayList<>();
  // Ctrl-C reaches the services too (same process group): their exits are then expected.
  private volatile boolean stopping;

  public LocalStack(Path root, Map<String, String> settings) {
    this.root = root.toAbsolutePath();
    this.settings = settings;
    this.dataDir = this.root.resolve(settings.getOrDefault("CONSTELLATION_DATA_DIR", "data")).toAbsolutePath();
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("constellation.root", ".")).toAbsolutePath().normalize();
    LocalStack stack = new LocalStack(root, DotEnv.load(root.resolve(".env")));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\nStopping Constellation…");
      stack.close();
      System.out.println("Stopped.");
    }));
    try {
      stack.start();
    } catch (IOException e) {
      System.err.println("Constellation did not start: " + e.getMessage());
      System.exit(1);
    }
    String url = "http://localhost:" + stack.gatewayPort();
    System.out.println();
    System.out.println("  Constellation IDE is running:  " + url);
    System.out.println("  Logs: " + stack.dataDir.resolve("logs") + "   Stop: Ctrl-C");
    System.out.println();
    stack.superviseUntilInterrupted();
  }

  public void start() throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    Map<String, String> env = new HashMap<>(settings);
    env.put("CONSTELLATION_DATA_DIR", dataDir.toString());
    env.putIfAbsent("SPRING_PROFILES_ACTIVE", "local");
    env.putIfAbsent("WORKSPACES_ROOT", dataDir.resolve("workspaces").toString());
    env.putIfAbsent("FRONTEND_DIR", root.resolve("frontend/dist").toString());
    env.putIfAbsent("JWT_SECRET", localJwtSecret());

    if (!settings.containsKey("MONGODB_URI")) {
      int port = Integer.parseInt(settings.getOrDefault("LOCAL_MONGO_PORT", "27018"));
      mongo = EmbeddedMongo.persistent(dataDir.resolve("mongo").resolve("constellation.mv"), port);
      env.put("MONGODB_URI", mongo.uri());
      log("storage    MongoDB-wire server on " + mongo.uri() + " (data in " + dataDir.resolve("mongo") + ")");
    }
    if (!settings.containsKey("REDIS_URL")) {
      int port = Integer.parseInt(settings.getOrDefault("LOCAL_REDIS_PORT", "6380"));
      redis = LocalRedis.start(port, dataDir.resolve("redis"));
      env.put("REDIS_URL", redis.url());
      log("redis      " + redis.url());
    }
    for (ServiceSpec spec : SERVICES) {
      env.put(spec.envPrefix() + "_URL", "http://127.0.0.1:" + port(spec));
    }
    List<String> jvmArgs = List.of("-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:+UseSerialGC", "-Xmx384m");
    for (ServiceSpec spec : SERVICES) {
      ServiceProcess process =
          new ServiceProcess(spec.name(), port(spec), spec.jar(root), env,
              dataDir.resolve("logs").resolve(spec.name() + ".log"), jvmArgs);
      services.add(process.start());
    }
    for (ServiceProcess service : services) {
      service.awaitReady(Duration.ofSeconds(150));
      log(String.format("%-10s ready on %s", shortName(service.name()), service.baseUrl()));
    }
    Files.writeString(dataDir.resolve("local-stack.pid"), Long.toString(ProcessHandle.current().pid()));
  }

  /** A service's port: {@code <NAME>_PORT} (e.g. API_GATEWAY_PORT) or its default. */
  public int port(ServiceSpec spec) {
    return Integer.parseInt(settings.getOrDefault(spec.envPrefix() + "_PORT", String.valueOf(spec.defaultPort())));
  }

  public int gatewayPort() {
    return port(SERVICES.get(SERVICES.size() - 1));
  }

  /** The running process of a service, for tests that stop or kill one. */
  public ServiceProcess service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /** The MongoDB the services use: the embedded server's, or MONGODB_URI when given. */
  public String mongoUri() {
    return mongo != null ? mongo.uri() : settings.get("MONGODB_URI");
  }

  public Path dataDir() {
    return dataDir;
  }

  private void superviseUntilInterrupted() throws InterruptedException {
    java.util.Set<String> reported = new java.util.HashSet<>();
    while (true) {
      Thread.sleep(2000);
      for (ServiceProcess service : services) {
        if (!stopping && !service.isAlive() && reported.add(service.name())) {
          log(service.name() + " stopped unexpectedly; see " + service.logFile());
        }
      }
    }
  }

  /** In local mode a random secret is made once and kept, so sessions survive a restart. */
  private String localJwtSecret() throws IOException {
    Path file = dataDir.resolve("jwt-secret");
    if (Files.isRegularFile(file)) return Files.readString(file).trim();
    byte[] bytes = new byte[48];
    new SecureRandom().nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Files.writeString(file, secret);
    file.toFile().setReadable(false, false);
    file.toFile().setReadable(true, true);
    return secret;
  }

  private static String shortName(String name) {
    return name.replace("-service", "");
  }

  private static void log(String line) {
    System.out.println("  " + line);
  }

  @Override
  public void close() {
    stopping = true;
    for (int i = services.size() - 1; i >= 0; i--) services.get(i).close();
    if (redis != null) redis.close();
    if (mongo != null) mongo.close();
    try {
      Files.deleteIfExists(dataDir.resolve("local-stack.pid"));
    } catch (IOException ignored) {
      // Only a marker for `make status`.
    }
  }
}
