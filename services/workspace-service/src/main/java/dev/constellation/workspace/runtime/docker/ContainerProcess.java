package dev.constellation.workspace.runtime.docker;

import java.time.Duration;

/**
 * A program the service runs in a workspace container as the workspace user in /workspace, in a
 * process group of its own, with its output attached: by the container's exec agent ({@link
 * ExecAgent}) or by an engine exec ({@link ContainerExec}).
 */
interface ContainerProcess {

  /** Receives the attached output, chunk by chunk, from the runtime's reading thread. */
  @FunctionalInterface
  interface Frames {
    void accept(boolean stderr, byte[] payload);
  }

  /** Waits at most {@code wait} for the program's output to end; true when it did. */
  boolean await(Duration wait) throws InterruptedException;

  /** Past its timeout with a margin: the caller should give up on it. */
  boolean overdue();

  /**
   * The exit code once ended, -1 when unknown; a program killed by a signal answers 128 + its
   * number (137 for the KILL at its timeout or of {@link #kill}).
   */
  int exitCode();

  /** Whether an exit code of 137 came from the KILL at the timeout. */
  boolean killedAtTimeout(int exitCode);

  boolean killed();

  /** Stops reading the output: the program is not wanted any more. */
  void detach();

  /** Kills the program's process groups now; returns once they are signalled. */
  void kill();
}
