package dev.constellation.workspace.runtime;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A command started by {@link WorkspaceRuntime#start}: its output goes to the listener as it
 * arrives; the caller waits for its end or kills it.
 */
public interface RunningCommand {

  /** Receives output from the runtime's threads, in the order each stream produced it. */
  @FunctionalInterface
  interface OutputListener {
    void output(boolean stderr, byte[] bytes);
  }

  /**
   * Waits at most {@code wait} for the command to end: its outcome (once every byte of output went
   * to the listener), or null while it still runs. A command past its timeout is killed here.
   */
  @Nullable CommandEnd await(Duration wait) throws InterruptedException;

  /** Waits for the end, however long the command's own timeout lets it run. */
  default CommandEnd awaitEnd() {
    try {
      CommandEnd end;
      while ((end = await(Duration.ofSeconds(1))) == null) {
        // the runtime ends it at its timeout
      }
      return end;
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a command ran", e);
    }
  }

  /**
   * Kills the command and every process of its process group (what it started in the background
   * too) now, returning once they are signalled. Safe to call more than once and after the end.
   */
  void kill();
}
