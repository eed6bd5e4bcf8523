package dev.constellation.common.terminal;

import dev.constellation.common.auth.AuthenticatedUser;
import java.util.List;
import java.util.Set;

/**
 * What a ticket stands for, as stored in Redis: who asked for it, for which project and which
 * socket ({@code purpose}: {@link TerminalTickets#TERMINAL} or {@link TerminalTickets#lsp}), and
 * until when it may be redeemed.
 */
public record TerminalTicket(
    String userId,
    String email,
    List<String> roles,
    String projectId,
    String purpose,
    long issuedAtMillis,
    long expiresAtMillis) {

  public AuthenticatedUser user() {
    return new AuthenticatedUser(userId, email, Set.copyOf(roles));
  }

  boolean validFor(String projectId, String purpose, long nowMillis) {
    return this.projectId != null
        && this.projectId.equals(projectId)
        && this.purpose != null
        && this.purpose.equals(purpose)
        && nowMillis < expiresAtMillis;
  }
}
