package dev.constellation.workspace.runtime;

/** An interactive shell with a TTY. */
public interface TerminalProcess {
  void write(byte[] input);

  void resize(int cols, int rows);

  /** Ends the shell; safe to call more than once. */
  void close();
}
