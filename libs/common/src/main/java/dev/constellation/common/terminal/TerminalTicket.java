package dev.constellation.common.terminal;

import dev.constellation.common.auth.AuthenticatedUser;
import java.util.List;
import java.util.Set;

/**
 * What a terminal ticket stands for, as stored in Redis: who asked for it, for which project, and
 * until when it may be redeemed.
 */
public record TerminalTicket(
    String userId,
    String email,
    List<String> roles,
    String projectId,
    long issuedAtMillis,
    long expiresAtMillis) {

  public AuthenticatedUser user() {
    return new AuthenticatedUser(userId, email, Set.copyOf(roles));
  }

  boolean validFor(String projectId, long nowMillis) {
    return this.projectId != null
        && this.projectId.equals(projectId)
        && nowMillis < expiresAtMillis;
  }
}
