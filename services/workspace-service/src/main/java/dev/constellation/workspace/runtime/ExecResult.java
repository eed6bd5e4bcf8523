package dev.constellation.workspace.runtime;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Outcome of one command; output is cut at the requested cap.
 *
 * @param timedOut the command ran past its timeout and was killed
 * @param killedBy why the command was killed, when it was: {@code timeout}, {@code out-of-memory}
 *     (the workspace's memory limit) or {@code signal} (anything else); null when it exited itself
 * @param limitsReached workspace limits hit while it ran: {@code memory}, {@code processes} (a fork
 *     was refused by the process limit)
 */
public record ExecResult(
    int exitCode,
    String stdout,
    String stderr,
    boolean timedOut,
    @Nullable String killedBy,
    List<String> limitsReached) {

  /** A command that exited by itself or timed out, with no limit reached. */
  public static ExecResult of(int exitCode, String stdout, String stderr, boolean timedOut) {
    return new ExecResult(
        exitCode, stdout, stderr, timedOut, timedOut ? "timeout" : null, List.of());
  }
}
