package dev.constellation.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A service's class-data-sharing archive, so that `make run` maps the classes a start loads instead
 * of reading and verifying thousands of them out of nested jars. `make build` (the launcher's
 * {@code --prepare}) unpacks the boot jar with Spring Boot's tools jar mode and starts the service
 * once up to a refreshed context with {@code -XX:ArchiveClassesAtExit}. An archive is used only
 * while the boot jar, the JVM and the JVM options are those it was recorded with (its stamp): a
 * rebuilt jar starts the plain way until the next {@code make build}.
 */
final class ClassDataSharing {
  private final Path bootJar;
  private final List<String> jvmArgs;

  ClassDataSharing(Path bootJar, List<String> jvmArgs) {
    this.bootJar = bootJar;
    this.jvmArgs = List.copyOf(jvmArgs);
  }

  /** Beside the boot jar, in the module's target folder: a clean build removes it too. */
  private Path dir() {
    return bootJar.resolveSibling("cds");
  }

  Path unpackedJar() {
    return dir().resolve("app").resolve(bootJar.getFileName());
  }

  private Path archive() {
    return dir().resolve("app.jsa");
  }

  /** What the recording start printed. */
  Path recordingLog() {
    return dir().resolve("record.log");
  }

  private Path stampFile() {
    return dir().resolve("stamp");
  }

  private String stamp() throws IOException {
    return Files.size(bootJar)
        + " "
        + Files.getLastModifiedTime(bootJar).toMillis()
        + " "
        + Runtime.version()
        + " "
        + String.join(" ", jvmArgs);
  }

  boolean ready() {
    try {
      return Files.isRegularFile(archive())
          && Files.isRegularFile(unpackedJar())
          && Files.readString(stampFile()).equals(stamp());
    } catch (IOException e) {
      return false;
    }
  }

  /** The JVM options of a start from the archive ({@code auto}: a stale one is ignored). */
  List<String> startArgs() {
    return withJvmArgs("-XX:SharedArchiveFile=" + archive(), "-Xshare:auto");
  }

  /** The JVM options of the recording start, which exits once its context is refreshed. */
  List<String> recordingArgs() {
    return withJvmArgs("-XX:ArchiveClassesAtExit=" + archive(), "-Dspring.context.exit=onRefresh");
  }

  private List<String> withJvmArgs(String... more) {
    List<String> args = new ArrayList<>(jvmArgs);
    args.addAll(List.of(more));
    return args;
  }

  /** Replaces the unpacked jar and drops the old archive. */
  void unpack() throws IOException, InterruptedException {
    deleteRecursively(dir());
    Files.createDirectories(dir());
    Process extract =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djarmode=tools",
                "-jar",
                bootJar.toString(),
                "extract",
                "--destination",
                dir().resolve("app").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir().resolve("extract.log").toFile())
            .start();
    if (!extract.waitFor(2, TimeUnit.MINUTES) || extract.exitValue() != 0) {
      extract.destroyForcibly();
      throw new IOException(
          "could not unpack " + bootJar + "; see " + dir().resolve("extract.log"));
    }
    Files.writeString(unpackedStamp(), jarStamp());
  }

  private Path unpackedStamp() {
    return dir().resolve("unpacked");
  }

  private String jarStamp() throws IOException {
    return Files.size(bootJar) + " " + Files.getLastModifiedTime(bootJar).toMillis();
  }

  /**
   * Whether the unpacked jar is this boot jar's (the one-JVM host runs it with or without archive).
   */
  boolean unpackedCurrent() {
    try {
      return Files.isRegularFile(unpackedJar())
          && Files.readString(unpackedStamp()).equals(jarStamp());
    } catch (IOException e) {
      return false;
    }
  }

  /** After a recording start that exited cleanly: the archive is valid for this jar and JVM. */
  boolean markRecorded() throws IOException {
    if (!Files.isRegularFile(archive())) return false;
    Files.writeString(stampFile(), stamp());
    return true;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
    }
  }
}
