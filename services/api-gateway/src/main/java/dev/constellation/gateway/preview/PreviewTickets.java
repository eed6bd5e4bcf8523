package dev.constellation.gateway.preview;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * One-time tickets that carry a preview session from the IDE's origin (where the user's token is)
 * to the preview origin (where it must never go): in Redis so any replica redeems them, spent with
 * GETDEL, gone after at most 60 s, and never logged (they ride in a URL only until the redirect).
 */
final class PreviewTickets {
  private static final String PREFIX = "constellation:preview:ticket:";
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a ticket stands for; bound to one user, project and port. */
  record Ticket(
      String userId,
      String projectId,
      int port,
      long version,
      String sessionId,
      String path,
      String ideOrigin) {}

  private final ReactiveStringRedisTemplate redis;
  private final JsonMapper json;
  private final Duration ttl;

  PreviewTickets(ReactiveStringRedisTemplate redis, JsonMapper json, Duration ttl) {
    this.redis = redis;
    this.json = json;
    this.ttl = ttl;
  }

  Mono<String> issue(Ticket ticket) {
    String id = randomId();
    return redis
        .opsForValue()
        .set(PREFIX + id, json.writeValueAsString(ticket), ttl)
        .thenReturn(id);
  }

  /** The ticket, spent; empty when unknown, used, expired or malformed. */
  Mono<Ticket> redeem(String id) {
    if (id == null || !FORMAT.matcher(id).matches()) return Mono.empty();
    return redis
        .opsForValue()
        .getAndDelete(PREFIX + id)
        .map(value -> json.readValue(value, Ticket.class));
  }

  static String randomId() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
