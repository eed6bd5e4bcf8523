package dev.constellation.workspace.events;

import org.jspecify.annotations.Nullable;

/**
 * Heard on Redis by terminal.TerminalRegistry and passed on to every stream that must re-check who
 * may still read it: either a user's tokens were revoked ({@code userId}), or a project's
 * membership changed ({@code projectId}).
 */
public record AccessChanged(@Nullable String userId, @Nullable String projectId) {
  public static AccessChanged userRevoked(String userId) {
    return new AccessChanged(userId, null);
  }

  public static AccessChanged projectChanged(String projectId) {
    return new AccessChanged(null, projectId);
  }
}
