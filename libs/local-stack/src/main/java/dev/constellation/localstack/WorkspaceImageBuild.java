package dev.constellation.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code make run} on a machine with Docker but without the workspace image: builds it in the
 * background instead of answering every Start with 503, while the workspaces run on the local
 * runtime. The launcher switches workspace-service to Docker when the build is done.
 */
final class WorkspaceImageBuild {
  static final String DEFAULT_IMAGE = "constellation/workspace:local";

  /** The lines of either build worth showing on the console; the rest goes to the log file. */
  private static final Pattern PROGRESS =
      Pattern.compile("^(debootstrap|apt-get install|warming|built|Step \\d+|#\\d+ \\[).*");

  private final String image;
  private final CompletableFuture<Boolean> done = new CompletableFuture<>();

  private WorkspaceImageBuild(String image) {
    this.image = image;
  }

  String image() {
    return image;
  }

  /** Completes with true when the image was built, false when the build failed. */
  CompletableFuture<Boolean> done() {
    return done;
  }

  /**
   * Starts the build when a Docker engine answers, the runtime may be Docker and the image is
   * missing; empty otherwise.
   */
  static Optional<WorkspaceImageBuild> startIfMissing(
      Path root, Map<String, String> settings, Path logFile, Consumer<String> console)
      throws IOException {
    String runtime = settings.getOrDefault("WORKSPACE_RUNTIME", "auto").trim();
    if (!runtime.equalsIgnoreCase("auto")) return Optional.empty();
    String image = settings.getOrDefault("WORKSPACE_IMAGE", DEFAULT_IMAGE);
    if (!succeeds(root, List.of("docker", "version", "--format", "{{.Server.Version}}"))) {
      return Optional.empty();
    }
    if (succeeds(root, List.of("docker", "image", "inspect", image))) return Optional.empty();
    List<String> command = buildCommand(root, settings, image);
    console.accept(
        "workspace image "
            + image
            + " is missing: building it in the background ("
            + String.join(" ", command)
            + "; log "
            + logFile
            + "). Workspaces run on the local runtime until it is ready.");
    WorkspaceImageBuild build = new WorkspaceImageBuild(image);
    Files.createDirectories(logFile.getParent());
    Process process =
        new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
    Thread relay =
        new Thread(() -> build.relay(process, logFile, console), "workspace-image-build");
    relay.setDaemon(true);
    relay.start();
    return Optional.of(build);
  }

  /**
   * {@code WORKSPACE_IMAGE_BUILD_COMMAND} when set; else the debootstrap build where it can run
   * (debootstrap installed, running as root: no registry needed), else a plain {@code docker build}
   * of the same Dockerfile.
   */
  static List<String> buildCommand(Path root, Map<String, String> settings, String image) {
    String custom = settings.get("WORKSPACE_IMAGE_BUILD_COMMAND");
    if (custom != null && !custom.isBlank()) return List.of("sh", "-c", custom);
    boolean root0 = "root".equals(System.getProperty("user.name"));
    if (root0 && onPath("debootstrap")) {
      return List.of(root.resolve("deploy/workspace-image/build-local.sh").toString(), image);
    }
    return List.of("docker", "build", "-f", "deploy/workspace-image/Dockerfile", "-t", image, ".");
  }

  private void relay(Process process, Path logFile, Consumer<String> console) {
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      for (String line; (line = out.readLine()) != null; ) {
        log.write(line);
        log.write('\n');
        log.flush();
        if (PROGRESS.matcher(line).matches()) {
          console.accept("workspace image: " + line.substring(0, Math.min(line.length(), 140)));
        }
      }
      boolean ok = process.waitFor() == 0;
      console.accept(
          ok
              ? "workspace image " + image + " is ready"
              : "workspace image build failed (see " + logFile + "); workspaces stay local");
      done.complete(ok);
    } catch (IOException e) {
      console.accept("workspace image build: " + e.getMessage());
      done.complete(false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
      done.complete(false);
    }
  }

  private static boolean succeeds(Path root, List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
    }
    return false;
  }
}
