package dev.constellation.workspace.runtime;

/** One attachment to a terminal session: typed input in, output through its listener. */
public interface TerminalProcess {
  /**
   * Passes typed input to the shell; false when it was refused because too much input is already
   * waiting for a shell that does not read (the caller should then end the attachment).
   */
  boolean write(byte[] input);

  void resize(int cols, int rows);

  /** Detaches; the session and its shell keep running. Safe to call more than once. */
  void close();
}
