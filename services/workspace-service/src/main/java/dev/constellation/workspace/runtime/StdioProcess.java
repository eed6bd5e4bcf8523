package dev.constellation.workspace.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalInt;

/**
 * A process in a workspace spoken to over its standard input and output (no terminal), such as a
 * language server. Its standard error is not kept: it may hold anything the process prints.
 */
public interface StdioProcess {
  /** What the process writes; ends when the process ended or was closed. */
  InputStream stdout();

  /**
   * Input for the process. What waits for a process that does not read is bounded: a write beyond
   * the bound fails with an IOException (the caller should then close it).
   */
  OutputStream stdin();

  /**
   * The exit code once {@link #stdout()} ended, when known; 127 means the command does not exist in
   * the workspace.
   */
  OptionalInt exitCode();

  /** Ends the process (and what it started). Safe to call more than once. */
  void close();
}
