package dev.constellation.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToIntFunction;

/**
 * The JVM that runs all four services in local mode when {@code LOCAL_ONE_JVM=1} ({@link
 * ServiceHost}): its class path (ServiceHost's classes, copied out of the launcher, which is itself
 * a boot jar), its plan, its JVM options and its class-data-sharing archive.
 */
final class OneJvm {
  static final String NAME = "services";

  private final Path root;
  private final List<String> serviceJvmArgs;

  OneJvm(Path root, List<String> serviceJvmArgs) {
    this.root = root;
    this.serviceJvmArgs = serviceJvmArgs;
  }

  private Path dir() {
    return root.resolve("libs/local-stack/target/one-jvm");
  }

  private Path archive() {
    return dir().resolve("app.jsa");
  }

  /** Where the recording start's logs stay, to see why no archive was recorded. */
  Path recordingLogs() {
    return dir().resolve("record");
  }

  private Path stampFile() {
    return dir().resolve("stamp");
  }

  /**
   * The services' options with one heap for the four: each process's {@code -Xmx384m} would be 1536
   * MiB together; one heap needs less because the four do not peak at once.
   */
  List<String> jvmArgs() {
    List<String> args = new ArrayList<>();
    for (String arg : serviceJvmArgs) if (!arg.startsWith("-Xmx")) args.add(arg);
    args.add("-Xmx1g");
    return args;
  }

  private ClassDataSharing sharing(LocalStack.ServiceSpec spec) {
    return new ClassDataSharing(spec.jar(root), serviceJvmArgs);
  }

  /**
   * Each service runs from its unpacked boot jar (plain jars load in a URLClassLoader and can be
   * archived); the ones {@code make build} has not unpacked are unpacked now.
   */
  void unpackStale() throws IOException, InterruptedException {
    for (LocalStack.ServiceSpec spec : LocalStack.SERVICES) {
      ClassDataSharing sharing = sharing(spec);
      if (!sharing.ready() && !sharing.unpackedCurrent()) sharing.unpack();
    }
  }

  Path writePlan(
      ToIntFunction<LocalStack.ServiceSpec> ports,
      String gatewayBind,
      Path logs,
      Map<String, String> workspaceOverrides)
      throws IOException {
    Properties plan = new Properties();
    int i = 0;
    for (LocalStack.ServiceSpec spec : LocalStack.SERVICES) {
      boolean gateway = spec.name().equals("api-gateway");
      plan.setProperty(i + ".name", spec.name());
      plan.setProperty(i + ".jar", sharing(spec).unpackedJar().toString());
      plan.setProperty(i + ".log", logs.resolve(spec.name() + ".log").toString());
      plan.setProperty(
          i + ".arg.0", "--server.address=" + (gateway ? gatewayBind : LocalStack.LOOPBACK));
      plan.setProperty(i + ".arg.1", "--server.port=" + ports.applyAsInt(spec));
      // Tomcat's JMX beans are named per JVM ("Tomcat:type=Realm…"): three Tomcats would clash
      // and each service's thread-pool metrics would report all three pools. Not in one JVM.
      plan.setProperty(i + ".arg.2", "--server.tomcat.mbeanregistry.enabled=false");
      if (spec.name().equals("workspace-service")) {
        final int n = i;
        workspaceOverrides.forEach((k, v) -> plan.setProperty(n + ".env." + k, v));
      }
      i++;
    }
    Files.createDirectories(logs);
    Path file = logs.resolve(NAME + ".plan");
    try (OutputStream out = Files.newOutputStream(file)) {
      plan.store(out, "the services of the one-JVM host (ServiceHost)");
    }
    return file;
  }

  /** After the JVM options: ServiceHost and its plan. */
  List<String> launch(Path plan) throws IOException {
    writeHostJar();
    return List.of("-cp", hostJar().toString(), ServiceHost.class.getName(), plan.toString());
  }

  /** A jar, not a folder: a class-data-sharing archive accepts only jars on the class path. */
  private Path hostJar() {
    return dir().resolve("host.jar");
  }

  /** ServiceHost and its nested classes: the host JVM needs nothing else. */
  private void writeHostJar() throws IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var jar = new java.util.jar.JarOutputStream(bytes)) {
      for (Class<?> type : ServiceHost.class.getNestMembers()) {
        String name = type.getName().replace('.', '/') + ".class";
        try (InputStream in = OneJvm.class.getClassLoader().getResourceAsStream(name)) {
          if (in == null) throw new IOException(name + " is missing from the launcher");
          var entry = new java.util.jar.JarEntry(name);
          entry.setTime(0); // the same bytes every time
          jar.putNextEntry(entry);
          in.transferTo(jar);
        }
      }
    }
    // Rewritten only when changed: the archive is valid only for the class path it recorded.
    byte[] content = bytes.toByteArray();
    if (Files.isRegularFile(hostJar()) && Arrays.equals(Files.readAllBytes(hostJar()), content))
      return;
    Files.createDirectories(dir());
    Files.write(hostJar(), content);
  }

  private String stamp() throws IOException {
    StringBuilder stamp = new StringBuilder(String.join(" ", jvmArgs()));
    stamp.append(' ').append(Runtime.version());
    for (LocalStack.ServiceSpec spec : LocalStack.SERVICES) {
      Path jar = spec.jar(root);
      stamp.append(' ').append(Files.size(jar)).append(' ');
      stamp.append(Files.getLastModifiedTime(jar).toMillis());
    }
    return stamp.toString();
  }

  boolean archiveReady() {
    try {
      return Files.isRegularFile(archive()) && Files.readString(stampFile()).equals(stamp());
    } catch (IOException e) {
      return false;
    }
  }

  List<String> startArgs() {
    List<String> args = new ArrayList<>(jvmArgs());
    args.addAll(List.of("-XX:SharedArchiveFile=" + archive(), "-Xshare:auto"));
    return args;
  }

  /** The recording start: the four services start, the JVM exits and writes the archive. */
  List<String> recordingArgs() throws IOException {
    Files.deleteIfExists(archive());
    Files.deleteIfExists(stampFile());
    List<String> args = new ArrayList<>(jvmArgs());
    args.addAll(
        List.of(
            "-XX:ArchiveClassesAtExit=" + archive(),
            "-D" + ServiceHost.EXIT_WHEN_STARTED + "=true"));
    return args;
  }

  boolean markRecorded() throws IOException {
    if (!Files.isRegularFile(archive())) return false;
    Files.writeString(stampFile(), stamp());
    return true;
  }
}
