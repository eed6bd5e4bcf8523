package dev.constellation.gateway.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may create an account, and how the first administrator is made.
 *
 * @param mode OPEN (anyone), INVITE_ONLY (with a code an admin made at POST /api/admin/invites) or
 *     CLOSED (nobody; the setup-token registration of the first admin still works) — SIGN_UP_MODE
 * @param firstAdmin SETUP_TOKEN (production: only a registration carrying the operator's one-time
 *     setup token becomes ADMIN) or FIRST_ACCOUNT (the first account of an empty installation; the
 *     {@code local} profile of {@code make run}) — SIGN_UP_FIRST_ADMIN
 * @param setupToken the setup token (SETUP_TOKEN); empty = a fresh one is made and logged at each
 *     start while no admin exists. Set it when several gateway instances run.
 * @param inviteTtl how long an invite code stays usable
 */
@ConfigurationProperties(prefix = "constellation.sign-up")
public record SignUpProperties(
    Mode mode, FirstAdmin firstAdmin, String setupToken, Duration inviteTtl) {
  public SignUpProperties {
    if (mode == null) mode = Mode.OPEN;
    if (firstAdmin == null) firstAdmin = FirstAdmin.SETUP_TOKEN;
    if (setupToken != null && setupToken.isBlank()) setupToken = null;
    if (setupToken != null && setupToken.length() < 16) {
      throw new IllegalArgumentException("SETUP_TOKEN must have at least 16 characters");
    }
    if (inviteTtl == null) inviteTtl = Duration.ofDays(7);
  }

  public enum Mode {
    OPEN,
    INVITE_ONLY,
    CLOSED
  }

  public enum FirstAdmin {
    SETUP_TOKEN,
    FIRST_ACCOUNT
  }
}
