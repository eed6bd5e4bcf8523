package dev.constellation.common.terminal;

import dev.constellation.common.auth.AuthenticatedUser;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * One-time tickets that open a terminal or language-server WebSocket (a browser cannot put a bearer
 * token on a WebSocket handshake). workspace-service issues and redeems them; the gateway only
 * peeks ({@link ReactiveTerminalTickets}). They live in Redis so that any replica can redeem them,
 * and GETDEL makes redeeming atomic: a ticket works once, for its project, within its lifetime (at
 * most {@link #MAX_TTL}). Each ticket opens one kind of socket only (its purpose): a terminal
 * ticket cannot open a language server, nor a ticket for one language another. The ticket string
 * itself is a credential: never log it.
 */
public final class TerminalTickets {
  public static final Duration MAX_TTL = Duration.ofSeconds(60);

  /** The purpose of a ticket that opens a terminal. */
  public static final String TERMINAL = "terminal";

  /** The purpose of a ticket that opens the language server of {@code language}. */
  public static String lsp(String language) {
    return "lsp:" + language;
  }

  /** What the ticket endpoint answers. */
  public record Issued(String ticket, long expiresIn) {}

  private final SecureRandom random = new SecureRandom();
  private final StringRedisTemplate redis;
  private final JsonMapper json;
  private final Clock clock;
  private final Duration ttl;

  public TerminalTickets(StringRedisTemplate redis, JsonMapper json, Clock clock, Duration ttl) {
    this.redis = redis;
    this.json = json;
    this.clock = clock;
    this.ttl = ttl.compareTo(MAX_TTL) > 0 || ttl.isNegative() || ttl.isZero() ? MAX_TTL : ttl;
  }

  public Issued issue(AuthenticatedUser user, String projectId) {
    return issue(user, projectId, TERMINAL);
  }

  public Issued issue(AuthenticatedUser user, String projectId, String purpose) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long now = clock.millis();
    var record =
        new TerminalTicket(
            user.id(),
            user.email(),
            List.copyOf(user.roles()),
            projectId,
            purpose,
            now,
            now + ttl.toMillis());
    redis.opsForValue().set(TicketKeys.of(ticket), json.writeValueAsString(record), ttl);
    return new Issued(ticket, ttl.toSeconds());
  }

  /** The record of a valid terminal ticket for {@code projectId}; spent either way. */
  public Optional<TerminalTicket> redeem(String ticket, String projectId) {
    return redeem(ticket, projectId, TERMINAL);
  }

  /**
   * The record of a valid ticket for {@code projectId} and {@code purpose}; the ticket is spent
   * either way.
   */
  public Optional<TerminalTicket> redeem(String ticket, String projectId, String purpose) {
    String key = TicketKeys.of(ticket);
    if (key == null) return Optional.empty();
    String value = redis.opsForValue().getAndDelete(key);
    return parse(json, value).filter(t -> t.validFor(projectId, purpose, clock.millis()));
  }

  static Optional<TerminalTicket> parse(JsonMapper json, String value) {
    if (value == null) return Optional.empty();
    try {
      return Optional.of(json.readValue(value, TerminalTicket.class));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
