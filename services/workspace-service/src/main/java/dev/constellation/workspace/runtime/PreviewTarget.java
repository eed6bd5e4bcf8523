package dev.constellation.workspace.runtime;

import org.jspecify.annotations.Nullable;

/**
 * Where the gateway reaches a port of a running workspace: {@code host} and the workspace's own
 * {@code port}, or, when {@code connectPort} is set, a relay of workspace-service's at {@code
 * host:connectPort} that carries the connection to that port (Swarm mode).
 */
public record PreviewTarget(String host, int port, @Nullable Integer connectPort) {
  public static PreviewTarget direct(String host, int port) {
    return new PreviewTarget(host, port, null);
  }
}
