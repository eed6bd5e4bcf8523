package dev.constellation.workspace.runtime;

/**
 * What a project's owner chose for its workspace (within the administrator's limits), applied when
 * its container is created.
 *
 * @param image the image it runs
 * @param memoryMb memory limit in MiB, swap included
 * @param cpus CPU share, in cores
 */
public record ContainerSpec(String image, int memoryMb, double cpus) {
  public long memoryBytes() {
    return memoryMb * 1024L * 1024L;
  }
}
