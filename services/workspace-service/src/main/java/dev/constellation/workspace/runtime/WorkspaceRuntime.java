package dev.constellation.workspace.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where workspaces run. The Docker implementation is the only code that talks to the engine, the
 * local one the only code that spawns host processes; everything above works through this seam.
 */
public interface WorkspaceRuntime {

  /** "docker", "swarm" or "local", as reported by the API. */
  String name();

  /** Creates the workspace when needed and starts it; returns at once when it already runs. */
  void start(String projectId, Path directory);

  /**
   * Like {@link #start(String, Path)}, with the project's own image and limits. A runtime that
   * keeps a stopped workspace recreates it when these changed since it was created.
   */
  default void start(String projectId, Path directory, ContainerSpec spec) {
    start(projectId, directory);
  }

  /**
   * Like {@link #start(String, Path, ContainerSpec)}, telling {@code phase} where it is: {@code
   * creating} first when the workspace has to be created, then {@code starting} (the IDE shows
   * both). A runtime that finds out on its way whether it creates overrides this, saving a separate
   * {@link #exists} lookup per start.
   */
  default void start(
      String projectId,
      Path directory,
      ContainerSpec spec,
      java.util.function.Consumer<String> phase) {
    if (!exists(projectId)) phase.accept("creating");
    phase.accept("starting");
    start(projectId, directory, spec);
  }

  /** What the workspaces' network allows; null when the runtime has no network of its own. */
  default @org.jspecify.annotations.Nullable NetworkInfo network() {
    return null;
  }

  /** Stops the workspace, keeping its files; nothing happens when it is not running. */
  void stop(String projectId);

  /** Removes whatever the runtime keeps for the project (not the project directory). */
  void remove(String projectId);

  boolean isRunning(String projectId);

  /**
   * Whether this runtime can freeze a workspace ({@link #pause}) and thaw it again. The local
   * runtime cannot (its processes are the host's): its idle workspaces are simply stopped.
   */
  default boolean canPause() {
    return false;
  }

  /**
   * Freezes every process of the running workspace (the cgroup freezer): it keeps its memory and
   * its terminals and servers, but uses no CPU. A runtime that cannot pause stops instead.
   */
  default void pause(String projectId) {
    stop(projectId);
  }

  /** Thaws a paused workspace; nothing happens when it is not paused. */
  default void unpause(String projectId) {}

  /** Whether the workspace is frozen by {@link #pause}. */
  default boolean isPaused(String projectId) {
    return false;
  }

  /** Memory and CPU the running workspace uses now; empty when unknown. */
  default java.util.Optional<ResourceUsage> usage(String projectId) {
    return java.util.Optional.empty();
  }

  /** Whether the workspace exists (running or not): a start without it has to create it first. */
  default boolean exists(String projectId) {
    return managedWorkspaces().containsKey(projectId);
  }

  /** Every workspace this installation's runtime knows of, by project id: true when running. */
  Map<String, Boolean> managedWorkspaces();

  /**
   * Starts {@code command} with bash in the project directory of the running workspace, as the
   * workspace user with the workspace's environment, handing its output to {@code listener} as it
   * arrives. It runs in a process group of its own, which {@link RunningCommand#kill} and the
   * {@code timeout} end as a whole.
   */
  RunningCommand start(
      String projectId, String command, Duration timeout, RunningCommand.OutputListener listener);

  /**
   * Runs {@code command} as {@link #start} does and collects its output, each stream cut at {@code
   * maxOutputBytes}; the workspace must be running.
   */
  default ExecResult exec(String projectId, String command, Duration timeout, int maxOutputBytes) {
    var stdout = new CappedOutput(maxOutputBytes);
    var stderr = new CappedOutput(maxOutputBytes);
    CommandEnd end =
        start(
                projectId,
                command,
                timeout,
                (isStderr, bytes) -> (isStderr ? stderr : stdout).append(bytes, 0, bytes.length))
            .awaitEnd();
    return new ExecResult(
        end.exitCode(),
        stdout.text(),
        stderr.text(),
        end.timedOut(),
        end.killedBy(),
        end.limitsReached());
  }

  /**
   * Runs {@code argv} (no shell in between: nothing in it is interpreted) in the project directory
   * of the running workspace, with {@code stdin} as its standard input. Made for commands whose
   * input must not be visible in a process list or an engine's logs (a credential on stdin).
   */
  ProcessOutput run(
      String projectId, List<String> argv, byte[] stdin, Duration timeout, int maxOutputBytes);

  /**
   * Starts a detached shell session {@code id} ({@link TerminalSession#validId}) in the running
   * workspace's project directory.
   */
  TerminalSession createSession(String projectId, String id, String title, int cols, int rows);

  /**
   * A new session titled "Terminal n+1" after the n the workspace holds, or empty when it already
   * holds {@code maxSessions}. A runtime may count and create in one step (Docker does: one engine
   * exec instead of two per terminal open).
   */
  default Optional<TerminalSession> createSessionWithin(
      String projectId, String id, int cols, int rows, int maxSessions) {
    List<TerminalSession> existing = sessions(projectId);
    if (existing.size() >= maxSessions) return Optional.empty();
    return Optional.of(
        createSession(projectId, id, "Terminal " + (existing.size() + 1), cols, rows));
  }

  /** The workspace's sessions; empty when it is not running. */
  List<TerminalSession> sessions(String projectId);

  /**
   * Attaches to a session: first its scrollback (at most {@code scrollbackLines} lines above the
   * screen) goes to {@code listener}, then the live screen and output. Empty when the workspace has
   * no such session; with {@code scrollbackLines} 0 (a session the caller has just created, which
   * has no history) that is not looked up first.
   */
  Optional<TerminalProcess> attach(
      String projectId,
      String sessionId,
      int cols,
      int rows,
      int scrollbackLines,
      TerminalListener listener);

  /**
   * Starts {@code command} in the running workspace's project directory as the workspace user, with
   * piped standard input and output; {@code maxPendingInputBytes} bounds what may wait for it to
   * read. A command that does not exist in the workspace ends at once with exit code 127.
   */
  StdioProcess spawn(String projectId, List<String> command, long maxPendingInputBytes);

  /**
   * Where processes of the running workspace see the project directory: /workspace in a container,
   * the directory itself for host processes.
   */
  default String workspaceRoot(String projectId) {
    return "/workspace";
  }

  /** Ends a session and its shell; false when there was none. */
  boolean killSession(String projectId, String sessionId);

  /** Renames a session; false when there is none. */
  boolean renameSession(String projectId, String sessionId, String title);

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

  /**
   * Where the gateway connects for a listening port of the running workspace: {@link #address} and
   * the port itself, unless the runtime relays it; empty when it cannot be reached from here.
   */
  default Optional<PreviewTarget> previewTarget(String projectId, int port) {
    return address(projectId).map(host -> PreviewTarget.direct(host, port));
  }

  /**
   * Whether {@link #execLines} can run programs inside this runtime's workspaces. The local runtime
   * answers false: a host process would see the host's file system, not only the project's.
   */
  default boolean canExecLines() {
    return false;
  }

  /**
   * Runs {@code argv} (no shell) in the running workspace's project directory and hands each line
   * of its standard output to {@code lines} as it arrives; a line longer than {@code maxLineBytes}
   * is dropped. Reading stops when {@code lines} answers false or at {@code timeout}, when the
   * process is killed.
   */
  default LinesResult execLines(
      String projectId,
      List<String> argv,
      Duration timeout,
      int maxLineBytes,
      java.util.function.Predicate<String> lines) {
    throw new UnsupportedOperationException(name() + " cannot run programs line by line");
  }

  /**
   * How {@link #execLines} ended: the exit code (-1 when it was stopped or killed), whether the
   * timeout ended it, and the start of its standard error.
   */
  record LinesResult(int exitCode, boolean timedOut, boolean stopped, String stderr) {}

  /** A runtime failure the caller can report as "the workspace engine is unavailable". */
  class RuntimeUnavailableException extends RuntimeException {
    public RuntimeUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
