package dev.constellation.workspace.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where workspaces run. The Docker implementation is the only code that talks to the engine, the
 * local one the only code that spawns host processes; everything above works through this seam.
 */
public interface WorkspaceRuntime {

  /** "docker" or "local", as reported by the API. */
  String name();

  /** Creates the workspace when needed and starts it; returns at once when it already runs. */
  void start(String projectId, Path directory);

  /** Stops the workspace, keeping its files; nothing happens when it is not running. */
  void stop(String projectId);

  /** Removes whatever the runtime keeps for the project (not the project directory). */
  void remove(String projectId);

  boolean isRunning(String projectId);

  /** Every workspace this installation's runtime knows of, by project id: true when running. */
  Map<String, Boolean> managedWorkspaces();

  /** Runs {@code command} with bash in the project directory; the workspace must be running. */
  ExecResult exec(String projectId, String command, Duration timeout, int maxOutputBytes);

  /** Starts an interactive shell with a TTY; output and exit are reported to {@code listener}. */
  TerminalProcess openTerminal(String projectId, int cols, int rows, TerminalListener listener);

  /**
   * The TCP ports listening inside the running workspace that this service can reach at {@link
   * #address}; empty when it is not running. In a container, sockets bound to its loopback only are
   * left out: nothing outside could reach them.
   */
  Set<Integer> listeningPorts(String projectId);

  /**
   * The address this service reaches the workspace's ports at — the container's own address on the
   * workspace network, or 127.0.0.1 for host processes — empty when it is not running.
   */
  Optional<String> address(String projectId);

  /** A runtime failure the caller can report as "the workspace engine is unavailable". */
  class RuntimeUnavailableException extends RuntimeException {
    public RuntimeUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
