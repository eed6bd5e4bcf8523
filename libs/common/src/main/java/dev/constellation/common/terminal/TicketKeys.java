package dev.constellation.common.terminal;

import java.util.regex.Pattern;

/** The Redis key of a ticket: known to this package only (an ArchUnit rule keeps it so). */
final class TicketKeys {
  private static final String PREFIX = "constellation:terminal-ticket:";

  /** 32 random bytes, base64url without padding. */
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");

  private TicketKeys() {}

  /** The key, or null for a string that cannot be a ticket (never looked up). */
  static String of(String ticket) {
    return ticket != null && FORMAT.matcher(ticket).matches() ? PREFIX + ticket : null;
  }

  /**
   * The key that marks a ticket as presented at the gateway (see ReactiveTerminalTickets#claim).
   */
  static String claimOf(String ticket) {
    String key = of(ticket);
    return key == null ? null : key + ":claimed";
  }
}
