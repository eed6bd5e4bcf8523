package dev.constellation.workspace.runtime;

/** Receives what a terminal prints, on a runtime thread. */
public interface TerminalListener {
  void output(byte[] bytes);

  /** The shell ended (exit, kill, or the workspace stopped). Called once. */
  void exited();
}
