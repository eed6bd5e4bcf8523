package dev.constellation.workspace.runtime;

import java.time.Instant;

/**
 * A terminal session: a shell in the workspace that outlives the sockets attached to it.
 *
 * @param id {@code t-} and twelve lower-case letters or digits
 * @param title what the user named it (empty when unnamed)
 * @param command what runs in its foreground right now, e.g. {@code bash} or {@code node}
 * @param attached whether a socket is attached to it at the moment
 */
public record TerminalSession(
    String id, String title, String command, Instant createdAt, boolean attached) {

  /** Session ids are made here only; anything else names no session (and never reaches tmux). */
  public static boolean validId(String id) {
    return id != null && id.matches("t-[a-z0-9]{12}");
  }
}
