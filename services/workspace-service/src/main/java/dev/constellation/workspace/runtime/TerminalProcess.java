package dev.constellation.workspace.runtime;

/** An interactive shell with a TTY. */
public interface TerminalProcess {
  /**
   * Passes typed input to the shell; false when it was refused because too much input is already
   * waiting for a shell that does not read (the caller should then end the terminal).
   */
  boolean write(byte[] input);

  void resize(int cols, int rows);

  /** Ends the shell; safe to call more than once. */
  void close();
}
