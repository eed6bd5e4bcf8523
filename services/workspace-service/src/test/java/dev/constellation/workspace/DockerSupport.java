package dev.constellation.workspace;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Docker engine, through the CLI: required under REQUIRE_DOCKER=1, otherwise Docker tests
 * skip.
 */
public final class DockerSupport {
  public static final String IMAGE =
      System.getenv().getOrDefault("WORKSPACE_IMAGE", "constellation/workspace:local");
  private static Boolean available;

  private DockerSupport() {}

  public static synchronized void requireDocker() {
    if (available == null) available = run("docker", "image", "inspect", IMAGE).exit() == 0;
    if (!available) {
      String why =
          "no Docker engine with image "
              + IMAGE
              + " (build it with deploy/workspace-image/build-local.sh)";
      if ("1".equals(System.getenv("REQUIRE_DOCKER"))) fail(why + ", and REQUIRE_DOCKER=1");
      abort(why);
    }
  }

  public record Result(int exit, String out) {}

  public static Result run(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }

  /** Removes every container and network labelled with this test run's installation id. */
  static void removeInstallation(String installationId) {
    Result ids =
        run(
            "docker",
            "ps",
            "-aq",
            "--filter",
            "label=dev.constellation.installation=" + installationId);
    for (String id : ids.out().split("\\s+")) {
      if (!id.isBlank()) run("docker", "rm", "-f", id);
    }
    Result nets =
        run(
            "docker",
            "network",
            "ls",
            "-q",
            "--filter",
            "label=dev.constellation.installation=" + installationId);
    for (String id : nets.out().split("\\s+")) {
      if (!id.isBlank()) run("docker", "network", "rm", id);
    }
  }
}
