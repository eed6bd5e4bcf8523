package dev.constellation.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker CLI, for looking at what the services did to the engine. */
public final class Docker {
  private Docker() {}

  /** Whether an engine answers; with REQUIRE_DOCKER=1 a missing engine fails the run instead. */
  public static boolean available() {
    boolean up = run("docker", "info", "--format", "{{.ServerVersion}}") != null;
    if (!up && SystemStack.dockerRequired()) {
      throw new IllegalStateException("REQUIRE_DOCKER=1 but no Docker engine answers");
    }
    return up;
  }

  public static List<String> containersOf(String projectId) {
    String out =
        run("docker", "ps", "-aq", "--filter", "label=dev.constellation.project-id=" + projectId);
    return out == null || out.isBlank() ? List.of() : List.of(out.trim().split("\\s+"));
  }

  /** The project's containers that are running right now ({@code docker ps} without -a). */
  public static List<String> runningContainersOf(String projectId) {
    String out =
        run("docker", "ps", "-q", "--filter", "label=dev.constellation.project-id=" + projectId);
    if (out == null) throw new IllegalStateException("docker ps failed");
    return out.isBlank() ? List.of() : List.of(out.trim().split("\\s+"));
  }

  /** {@code docker inspect -f format container}, trimmed; null when it failed. */
  public static String inspect(String container, String format) {
    String out = run("docker", "inspect", "-f", format, container);
    return out == null ? null : out.trim();
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) return null;
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
