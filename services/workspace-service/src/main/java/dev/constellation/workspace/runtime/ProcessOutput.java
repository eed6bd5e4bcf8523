package dev.constellation.workspace.runtime;

import java.nio.charset.StandardCharsets;

/**
 * Outcome of {@link WorkspaceRuntime#run}: stdout as raw bytes (file contents need not be UTF-8),
 * each stream cut at the requested cap.
 */
public record ProcessOutput(
    int exitCode, byte[] stdout, String stderr, boolean timedOut, boolean truncated) {

  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }
}
