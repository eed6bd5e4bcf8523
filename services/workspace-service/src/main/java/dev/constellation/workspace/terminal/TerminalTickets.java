package dev.constellation.workspace.terminal;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.workspace.config.WorkspaceProperties;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * One-time tickets that open a terminal WebSocket (a browser cannot put a bearer token on a
 * WebSocket handshake). They live in Redis so that any replica can redeem them, and GETDEL makes
 * redeeming atomic: a ticket works once, for its user and project, within its lifetime.
 */
@Component
class TerminalTickets {
  private static final String KEY_PREFIX = "constellation:terminal-ticket:";
  private static final Duration MAX_TTL = Duration.ofSeconds(60);

  record Ticket(String ticket, long expiresIn) {}

  record Holder(String userId, String email, List<String> roles, String projectId, long issuedAtMillis) {
    AuthenticatedUser user() {
      return new AuthenticatedUser(userId, email, Set.copyOf(roles));
    }
  }

  private final SecureRandom random = new SecureRandom();
  private final StringRedisTemplate redis;
  private final JsonMapper json;
  private final Duration ttl;

  TerminalTickets(StringRedisTemplate redis, JsonMapper json, WorkspaceProperties properties) {
    this.redis = redis;
    this.json = json;
    Duration asked = properties.terminal().ticketTtl();
    this.ttl = asked.compareTo(MAX_TTL) > 0 ? MAX_TTL : asked;
  }

  Ticket issue(AuthenticatedUser user, String projectId) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    var holder = new Holder(user.id(), user.email(), List.copyOf(user.roles()), projectId, System.currentTimeMillis());
    redis.opsForValue().set(KEY_PREFIX + ticket, json.writeValueAsString(holder), ttl);
    return new Ticket(ticket, ttl.toSeconds());
  }

  /** The holder of a valid ticket for {@code projectId}; the ticket is spent either way. */
  Optional<Holder> redeem(String ticket, String projectId) {
    if (ticket == null || ticket.isBlank() || ticket.length() > 100) return Optional.empty();
    String value = redis.opsForValue().getAndDelete(KEY_PREFIX + ticket);
    if (value == null) return Optional.empty();
    Holder holder = json.readValue(value, Holder.class);
    return projectId.equals(holder.projectId()) ? Optional.of(holder) : Optional.empty();
  }
}
