package dev.constellation.workspace.runtime;

import org.jspecify.annotations.Nullable;

/** Receives what an attached terminal session prints, on a runtime thread. */
public interface TerminalListener {
  void output(byte[] bytes);

  /**
   * The attachment ended without {@link TerminalProcess#close()}: the session's shell exited
   * ({@code sessionEnded}, with its exit code when known) or the attachment broke (the workspace
   * stopped, the engine went away). Called at most once.
   */
  void ended(boolean sessionEnded, @Nullable Integer exitCode);
}
