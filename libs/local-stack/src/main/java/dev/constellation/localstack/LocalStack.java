package dev.constellation.localstack;

import java.io.IOException;
import java.net.InetAddress;
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
  private MongoWireProcess mongoProcess;
  private volatile LocalRedis redis;
  private final List<ServiceProcess> services = new ArrayList<>();
  // Ctrl-C reaches the services too (same process group): their exits are then expected.
  private volatile boolean stopping;
  private boolean wrotePidFile;
  private Thread supervisor;
  private Path mongoFile;
  private int mongoPort;
  private boolean buildMissingImage;
  private WorkspaceImageBuild imageBuild;
  private boolean switchedToDocker;

  /**
   * Where the gateway listens: loopback unless {@code BIND_ADDRESS} says otherwise. The other
   * services, redis-server and the MongoDB-wire server always listen on loopback only: none of them
   * is meant to be reached except through the gateway (Redis and the wire server have no password
   * at all in local mode).
   */
  static final String BIND_ADDRESS = "BIND_ADDRESS";

  static final String LOOPBACK = "127.0.0.1";

  private static final String WORKSPACE_SERVICE = "workspace-service";

  public LocalStack(Path root, Map<String, String> settings) {
    this.root = root.toAbsolutePath();
    this.settings = settings;
    this.dataDir =
        this.root.resolve(settings.getOrDefault("CONSTELLATION_DATA_DIR", "data")).toAbsolutePath();
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("constellation.root", ".")).toAbsolutePath().normalize();
    Map<String, String> settings = DotEnv.load(root.resolve(".env"));
    if (List.of(args).contains("--prepare")) {
      prepare(root, settings);
      return;
    }
    LocalStack stack = new LocalStack(root, settings);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping Constellation…");
                  stack.close();
                  System.out.println("Stopped.");
                }));
    stack.buildMissingWorkspaceImage();
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

  /**
   * {@code make run} only: a missing workspace image is built in the background, workspace-service
   * runs the local runtime meanwhile and is switched to Docker when the image is there.
   */
  public void buildMissingWorkspaceImage() {
    buildMissingImage = true;
  }

  public void start() throws IOException, InterruptedException {
    String bind = settings.getOrDefault(BIND_ADDRESS, LOOPBACK).trim();
    InetAddress bindAddress = InetAddress.getByName(bind);
    Ports.requireFree(requiredPorts());
    if (!bindAddress.isLoopbackAddress()) {
      log(
          "WARNING: BIND_ADDRESS="
              + bind
              + " is not loopback: the gateway is reachable from other"
              + " machines over plain HTTP. Put a TLS proxy in front of it.");
    }
    Map<String, String> env = startStorage();
    if (buildMissingImage) {
      imageBuild =
          WorkspaceImageBuild.startIfMissing(
                  root,
                  settings,
                  dataDir.resolve("logs").resolve("workspace-image.log"),
                  LocalStack::log)
              .orElse(null);
    }
    // Previews are served by the gateway on p<port>-<project>.<domain>, at the gateway's own port
    // (*.localhost is loopback in browsers).
    env.putIfAbsent(
        "PREVIEW_PUBLIC_URL",
        "http://"
            + settings.getOrDefault("GATEWAY_PREVIEW_DOMAIN", "preview.localhost")
            + ":"
            + gatewayPort());
    List<String> jvmArgs = jvmArgs(settings);
    boolean useArchives = !"0".equals(settings.getOrDefault("LOCAL_CDS", "1"));
    if (oneJvm(settings)) {
      startInOneJvm(env, bind, useArchives);
    } else {
      startProcesses(env, bind, jvmArgs, useArchives);
    }
    for (ServiceProcess service : services) {
      // A loaded machine (CI, several stacks at once) may need longer: LOCAL_READY_TIMEOUT_S.
      Duration timeout =
          Duration.ofSeconds(
              Long.parseLong(System.getenv().getOrDefault("LOCAL_READY_TIMEOUT_S", "240")));
      if (service.name().equals(OneJvm.NAME)) {
        for (ServiceSpec spec : SERVICES) {
          String url = "http://" + LOOPBACK + ":" + port(spec);
          service.awaitReady(url, timeout);
          log(String.format("%-10s ready on %s", shortName(spec.name()), url));
        }
      } else {
        service.awaitReady(timeout);
        log(String.format("%-10s ready on %s", shortName(service.name()), service.baseUrl()));
      }
    }
    Files.writeString(
        dataDir.resolve("local-stack.pid"), Long.toString(ProcessHandle.current().pid()));
    wrotePidFile = true;
    supervisor = new Thread(this::superviseRedis, "local-stack-redis-supervisor");
    supervisor.setDaemon(true);
    supervisor.start();
  }

  /**
   * {@code LOCAL_ONE_JVM=1}: the four services in one JVM ({@link ServiceHost}), ≈ 400 MiB less
   * than four (docs/benchmarks.md). Not the default: with it the browser journey's terminal
   * reattach step failed 4 runs in 11, with four JVMs none (the cause is not known yet).
   */
  static boolean oneJvm(Map<String, String> settings) {
    return "1".equals(settings.getOrDefault("LOCAL_ONE_JVM", "0"));
  }

  private void startInOneJvm(Map<String, String> env, String bind, boolean useArchives)
      throws IOException, InterruptedException {
    OneJvm host = new OneJvm(root, jvmArgs(settings));
    host.unpackStale();
    Map<String, String> overrides =
        imageBuild != null ? Map.of("WORKSPACE_RUNTIME", "local") : Map.of();
    Path plan = host.writePlan(this::port, bind, dataDir.resolve("logs"), overrides);
    boolean shared = useArchives && host.archiveReady();
    services.add(
        new ServiceProcess(
                OneJvm.NAME,
                bind,
                gatewayPort(),
                host.launch(plan),
                env,
                dataDir.resolve("logs").resolve(OneJvm.NAME + ".log"),
                shared ? host.startArgs() : host.jvmArgs())
            .start());
    log(
        "one JVM    the four services as four applications in one JVM"
            + (shared ? ", from its class-data sharing archive" : ""));
  }

  private void startProcesses(
      Map<String, String> env, String bind, List<String> jvmArgs, boolean useArchives)
      throws IOException {
    int fromArchives = 0;
    for (ServiceSpec spec : SERVICES) {
      String address = spec == gateway() ? bind : LOOPBACK;
      Map<String, String> serviceEnv = env;
      if (imageBuild != null && spec.name().equals(WORKSPACE_SERVICE)) {
        serviceEnv = new HashMap<>(env);
        serviceEnv.put("WORKSPACE_RUNTIME", "local");
      }
      ClassDataSharing sharing = new ClassDataSharing(spec.jar(root), jvmArgs);
      boolean shared = useArchives && sharing.ready();
      if (shared) fromArchives++;
      ServiceProcess process =
          new ServiceProcess(
              spec.name(),
              address,
              port(spec),
              shared ? sharing.unpackedJar() : spec.jar(root),
              serviceEnv,
              dataDir.resolve("logs").resolve(spec.name() + ".log"),
              shared ? sharing.startArgs() : jvmArgs);
      services.add(process.start());
    }
    if (fromArchives > 0) {
      log(
          fromArchives
              + " of "
              + SERVICES.size()
              + " services start from class-data sharing archives");
    }
  }

  /** Storage and Redis (unless given), and the environment every service starts with. */
  private Map<String, String> startStorage() throws IOException {
    Files.createDirectories(dataDir);
    Map<String, String> env = new HashMap<>(settings);
    env.put("CONSTELLATION_DATA_DIR", dataDir.toString());
    env.putIfAbsent("SPRING_PROFILES_ACTIVE", "local");
    env.putIfAbsent("WORKSPACES_ROOT", dataDir.resolve("workspaces").toString());
    env.putIfAbsent("FRONTEND_DIR", root.resolve("frontend/dist").toString());
    env.putIfAbsent("JWT_SECRET", localJwtSecret());
    // Each service exits when this process is gone, however it ended (libs/common
    // LauncherWatchdog).
    env.put("CONSTELLATION_LAUNCHER_PID", Long.toString(ProcessHandle.current().pid()));

    if (!settings.containsKey("MONGODB_URI")) {
      mongoFile = dataDir.resolve("mongo").resolve("constellation.mv");
      int port = Integer.parseInt(settings.getOrDefault("LOCAL_MONGO_PORT", "27018"));
      // The fault tests run it as a process of its own, to kill -9 or freeze it (chaos tests).
      if ("true".equals(settings.get("LOCAL_MONGO_PROCESS"))) {
        mongoProcess =
            MongoWireProcess.start(mongoFile, dataDir.resolve("logs/mongo-wire.log"), port);
        mongoPort = mongoProcess.port();
      } else {
        mongo = EmbeddedMongo.persistent(mongoFile, port);
        mongoPort = mongo.port();
      }
      env.put("MONGODB_URI", EmbeddedMongo.uri(mongoPort));
      log(
          "storage    MongoDB-wire server on "
              + EmbeddedMongo.uri(mongoPort)
              + " (data in "
              + dataDir.resolve("mongo")
              + ")");
    }
    if (!settings.containsKey("REDIS_URL")) {
      int port = Integer.parseInt(settings.getOrDefault("LOCAL_REDIS_PORT", "6380"));
      redis = LocalRedis.start(port, dataDir.resolve("redis"));
      env.put("REDIS_URL", redis.url());
      log("redis      " + redis.url());
    }
    for (ServiceSpec spec : SERVICES) {
      env.put(spec.envPrefix() + "_URL", "http://" + LOOPBACK + ":" + port(spec));
    }
    return env;
  }

  /**
   * `make build`: records the class-data-sharing archive of each service whose archive is missing
   * or stale, by starting it once against throwaway storage (the recording start ends when its
   * context is refreshed, before it listens or schedules anything).
   */
  static void prepare(Path root, Map<String, String> settings) throws Exception {
    List<String> jvmArgs = jvmArgs(settings);
    List<ServiceSpec> stale =
        SERVICES.stream()
            .filter(spec -> !new ClassDataSharing(spec.jar(root), jvmArgs).ready())
            .toList();
    OneJvm host = new OneJvm(root, jvmArgs);
    boolean hostStale = oneJvm(settings) && !host.archiveReady();
    if (stale.isEmpty() && !hostStale) {
      log("class-data sharing archives are up to date");
      return;
    }
    Path scratch = Files.createTempDirectory("constellation-prepare");
    Map<String, String> throwaway = new HashMap<>(settings);
    throwaway.put("CONSTELLATION_DATA_DIR", scratch.toString());
    throwaway.put("LOCAL_MONGO_PORT", "0");
    throwaway.put("LOCAL_REDIS_PORT", "0");
    throwaway.put("WORKSPACE_RUNTIME", "local");
    try (LocalStack stack = new LocalStack(root, throwaway)) {
      Map<String, String> env = stack.startStorage();
      for (ServiceSpec spec : stale) {
        ClassDataSharing sharing = new ClassDataSharing(spec.jar(root), jvmArgs);
        long started = System.nanoTime();
        sharing.unpack();
        ServiceProcess recording =
            new ServiceProcess(
                spec.name(),
                LOOPBACK,
                0,
                sharing.unpackedJar(),
                env,
                sharing.recordingLog(),
                sharing.recordingArgs());
        recording.start();
        boolean recorded =
            recording.awaitExit(Duration.ofMinutes(3)) == 0 && sharing.markRecorded();
        log(
            String.format(
                "%-10s %s (%.1f s)",
                shortName(spec.name()),
                recorded
                    ? "class-data sharing archive recorded"
                    : "no archive recorded (it starts the plain way); see "
                        + sharing.recordingLog(),
                (System.nanoTime() - started) / 1e9));
      }
      if (hostStale) {
        long started = System.nanoTime();
        host.unpackStale();
        Path logs = host.recordingLogs();
        // Real ports, not 0: Tomcat names its JMX beans after the port, and four "auto-1" clash.
        Map<String, Integer> ports = new HashMap<>();
        for (ServiceSpec spec : SERVICES) ports.put(spec.name(), Ports.free());
        Path plan = host.writePlan(spec -> ports.get(spec.name()), LOOPBACK, logs, Map.of());
        ServiceProcess recording =
            new ServiceProcess(
                OneJvm.NAME,
                LOOPBACK,
                0,
                host.launch(plan),
                env,
                logs.resolve(OneJvm.NAME + ".log"),
                host.recordingArgs());
        recording.start();
        boolean recorded = recording.awaitExit(Duration.ofMinutes(3)) == 0 && host.markRecorded();
        log(
            String.format(
                "one JVM    %s (%.1f s)",
                recorded
                    ? "class-data sharing archive recorded"
                    : "no archive recorded (it starts the plain way); see " + logs,
                (System.nanoTime() - started) / 1e9));
      }
    } finally {
      ClassDataSharing.deleteRecursively(scratch);
    }
  }

  /**
   * The services' JVM options: C1 only by default, because on a laptop the C2 compiler's threads
   * cost more start-up CPU than they repay in a session; {@code LOCAL_JVM_OPTS} replaces them (the
   * gateway benchmark runs the images' full tiered JIT this way).
   */
  static List<String> jvmArgs(Map<String, String> settings) {
    String configured = settings.getOrDefault("LOCAL_JVM_OPTS", "").trim();
    if (configured.isEmpty())
      return List.of("-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:+UseSerialGC", "-Xmx384m");
    return List.of(configured.split("\\s+"));
  }

  /** Every fixed port this stack would listen on, checked before anything starts. */
  private Map<Integer, String> requiredPorts() {
    Map<Integer, String> ports = new java.util.LinkedHashMap<>();
    for (ServiceSpec spec : SERVICES) ports.put(port(spec), spec.name());
    if (!settings.containsKey("MONGODB_URI"))
      ports.put(
          Integer.parseInt(settings.getOrDefault("LOCAL_MONGO_PORT", "27018")),
          "MongoDB-wire server");
    if (!settings.containsKey("REDIS_URL"))
      ports.put(
          Integer.parseInt(settings.getOrDefault("LOCAL_REDIS_PORT", "6380")), "redis-server");
    ports.remove(0);
    return ports;
  }

  private static ServiceSpec gateway() {
    return SERVICES.get(SERVICES.size() - 1);
  }

  /** A service's port: {@code <NAME>_PORT} (e.g. API_GATEWAY_PORT) or its default. */
  public int port(ServiceSpec spec) {
    return Integer.parseInt(
        settings.getOrDefault(spec.envPrefix() + "_PORT", String.valueOf(spec.defaultPort())));
  }

  public int gatewayPort() {
    return port(gateway());
  }

  /** The running process of a service, for tests that stop or kill one. */
  public ServiceProcess service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /** The MongoDB the services use: the embedded server's, or MONGODB_URI when given. */
  public String mongoUri() {
    if (mongoFile != null) return EmbeddedMongo.uri(mongoPort);
    return settings.get("MONGODB_URI");
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * {@code make run}: restarts a service that died, with a growing backoff ({@link Backoff}). The
   * system tests do not call this: they stop and restart services themselves.
   */
  private void superviseUntilInterrupted() throws InterruptedException {
    Map<String, Backoff> backoffs = new HashMap<>();
    while (true) {
      Thread.sleep(500);
      switchToDockerWhenImageIsBuilt();
      for (ServiceProcess service : services) {
        Backoff backoff = backoffs.computeIfAbsent(service.name(), n -> backoff());
        if (stopping) return;
        if (service.isAlive()) {
          backoff.up();
          continue;
        }
        if (!backoff.due()) continue;
        log(service.name() + " stopped unexpectedly (see " + service.logFile() + "); restarting");
        try {
          service.start();
        } catch (IOException e) {
          log("could not restart " + service.name() + ": " + e.getMessage());
        }
        backoff.failed();
      }
    }
  }

  /**
   * Workspaces running on the local runtime end with the restart; their terminals reconnect to a
   * Docker workspace of the same project, whose files are the same directory.
   */
  private void switchToDockerWhenImageIsBuilt() {
    if (imageBuild == null || switchedToDocker || !imageBuild.done().getNow(false)) return;
    switchedToDocker = true;
    if (oneJvm(settings)) {
      switchHostToDocker();
      return;
    }
    ServiceProcess workspaces = service(WORKSPACE_SERVICE);
    log("switching workspace-service to Docker workspaces (" + imageBuild.image() + ")");
    try {
      workspaces.restartWith(Map.of("WORKSPACE_RUNTIME", "auto"));
      workspaces.awaitReady(Duration.ofSeconds(240));
      log("workspace  ready on Docker");
    } catch (IOException e) {
      log("could not restart workspace-service: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One JVM: all four restart, since workspace-service cannot be restarted alone in it. */
  private void switchHostToDocker() {
    ServiceProcess host = service(OneJvm.NAME);
    log(
        "switching workspace-service to Docker workspaces ("
            + imageBuild.image()
            + "): restarting the services");
    try {
      new OneJvm(root, jvmArgs(settings))
          .writePlan(
              this::port,
              settings.getOrDefault(BIND_ADDRESS, LOOPBACK).trim(),
              dataDir.resolve("logs"),
              Map.of());
      host.restartWith(Map.of());
      for (ServiceSpec spec : SERVICES) {
        host.awaitReady("http://" + LOOPBACK + ":" + port(spec), Duration.ofSeconds(240));
      }
      log("workspace  ready on Docker");
    } catch (IOException e) {
      log("could not restart the services: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** redis-server is restarted whenever it dies, on the same port and from its append-only file. */
  private void superviseRedis() {
    Backoff backoff = backoff();
    while (!stopping) {
      try {
        Thread.sleep(200);
        LocalRedis current = redis;
        if (current == null) continue;
        if (current.isAlive()) {
          backoff.up();
          continue;
        }
        if (!backoff.due()) continue;
        log("redis-server stopped unexpectedly; restarting on port " + current.port());
        backoff.failed();
        synchronized (this) {
          if (stopping) return;
          redis = LocalRedis.start(current.port(), dataDir.resolve("redis"));
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        log("could not restart redis-server: " + e.getMessage());
      }
    }
  }

  private Backoff backoff() {
    return new Backoff(Long.parseLong(settings.getOrDefault("LOCAL_RESTART_DELAY_MS", "500")));
  }

  /**
   * Restart delays: the first after {@code LOCAL_RESTART_DELAY_MS} (0.5 s), doubling to 30 s while
   * something keeps dying, reset after a calm minute.
   */
  static final class Backoff {
    private final long firstMillis;
    private long delayMillis;
    private long notBefore = -1;
    private long upSince = -1;

    Backoff(long firstMillis) {
      this.firstMillis = firstMillis;
    }

    /** Whether to restart now; the first call after a death only starts the clock. */
    boolean due() {
      long now = System.currentTimeMillis();
      if (notBefore < 0) {
        delayMillis =
            delayMillis == 0
                ? firstMillis
                : Math.min(delayMillis * 2, Math.max(30_000, firstMillis));
        notBefore = now + delayMillis;
      }
      return now >= notBefore;
    }

    void failed() {
      notBefore = -1;
      upSince = -1;
    }

    void up() {
      long now = System.currentTimeMillis();
      if (upSince < 0) upSince = now;
      if (now - upSince > 60_000) delayMillis = 0;
    }
  }

  /** The running redis-server, for tests that kill it (the supervisor then starts another). */
  public synchronized LocalRedis redis() {
    return redis;
  }

  /** Stops the MongoDB-wire server, as an outage of the database would (tests). */
  public synchronized void stopMongo() {
    if (mongoProcess != null) {
      mongoProcess.close();
      return;
    }
    if (mongo != null) mongo.close();
    mongo = null;
  }

  /** Starts the MongoDB-wire server again on its port, from its H2 file (tests). */
  public synchronized void startMongo() throws IOException {
    if (mongoProcess != null) {
      mongoProcess.start();
      return;
    }
    if (mongo != null || mongoFile == null) return;
    mongo = EmbeddedMongo.persistent(mongoFile, mongoPort);
  }

  /**
   * The MongoDB-wire server's process when it runs in one ({@code LOCAL_MONGO_PROCESS=true}), for
   * tests that kill -9 or freeze it; {@link #startMongo} starts it again after a kill.
   */
  public synchronized java.util.Optional<ProcessHandle> mongoProcess() {
    return mongoProcess == null ? java.util.Optional.empty() : mongoProcess.handle();
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
    synchronized (this) {
      stopping = true;
    }
    if (supervisor != null) supervisor.interrupt();
    // All at once: one after the other, graceful stops add up past a test JVM's exit deadline.
    for (ServiceProcess service : services) service.requestStop();
    for (int i = services.size() - 1; i >= 0; i--) services.get(i).close();
    synchronized (this) {
      if (redis != null) redis.close();
      if (mongo != null) mongo.close();
      if (mongoProcess != null) mongoProcess.close();
    }
    if (!wrotePidFile) return;
    try {
      Files.deleteIfExists(dataDir.resolve("local-stack.pid"));
    } catch (IOException ignored) {
      // Only a marker for `make status`.
    }
  }
}
