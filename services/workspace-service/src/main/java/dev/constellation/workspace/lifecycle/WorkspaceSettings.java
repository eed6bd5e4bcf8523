package dev.constellation.workspace.lifecycle;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A project's workspace resources as the API shows them, with what the administrator allows.
 *
 * @param image the image its container runs
 * @param memoryMb memory limit in MiB
 * @param cpus CPU share, in cores
 * @param limits what an owner may choose from
 */
public record WorkspaceSettings(String image, int memoryMb, double cpus, Limits limits) {

  /** The administrator's limits (WORKSPACE_IMAGES, WORKSPACE_MAX_MEMORY_MB, WORKSPACE_MAX_CPUS). */
  public record Limits(
      List<String> images, int minMemoryMb, int maxMemoryMb, double minCpus, double maxCpus) {}

  /** A change asked for by an owner: what is left out stays as it is. */
  public record Change(@Nullable String image, @Nullable Integer memoryMb, @Nullable Double cpus) {}
}
