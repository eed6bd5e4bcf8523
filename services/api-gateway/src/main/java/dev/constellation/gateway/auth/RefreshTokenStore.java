package dev.constellation.gateway.auth;

import dev.constellation.gateway.users.Sessions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Opaque refresh tokens in Redis, stored only as SHA-256 hashes. Each sign-in starts a family;
 * every refresh marks the presented token used and issues its successor in the same family. A
 * used token presented again means it was stolen or replayed, so the whole family is revoked.
 */
@Component
class RefreshTokenStore implements Sessions {
  private static final String TOKEN = "constellation:refresh:token:";
  private static final String FAMILY = "constellation:refresh:family:";
  private static final String USER_FAMILIES = "constellation:refresh:user:";

  private final ReactiveStringRedisTemplate redis;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();

  RefreshTokenStore(ReactiveStringRedisTemplate redis, AccountProperties properties) {
    this.redis = redis;
    this.ttl = properties.refreshTokenTtl();
  }

  enum Outcome { ROTATED, REUSED, INVALID }

  record Rotation(Outcome outcome, String userId, String familyId, String token) {}

  /** A new family for a new sign-in, and its first token. */
  Mono<String> startFamily(String userId) {
    String family = UUID.randomUUID().toString();
    return redis.opsForValue().set(FAMILY + family, userId, ttl)
        .then(redis.opsForSet().add(USER_FAMILIES + userId, family))
        .then(redis.expire(USER_FAMILIES + userId, ttl))
        .then(issue(userId, family));
  }

  Mono<Rotation> rotate(String token) {
    String key = TOKEN + hash(token);
    return redis.<String, String>opsForHash().entries(key).collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .flatMap(record -> {
          if (record.isEmpty()) return Mono.just(new Rotation(Outcome.INVALID, null, null, null));
          String userId = record.get("user");
          String family = record.get("family");
          // HINCRBY is atomic: of two requests racing with one token, exactly one sees 1.
          return redis.<String, String>opsForHash().increment(key, "used", 1).flatMap(used -> {
            if (used > 1) {
              return revokeFamily(userId, family).thenReturn(new Rotation(Outcome.REUSED, userId, family, null));
            }
            return redis.hasKey(FAMILY + family).flatMap(alive -> alive
                ? redis.expire(FAMILY + family, ttl)
                    .then(issue(userId, family))
                    .map(next -> new Rotation(Outcome.ROTATED, userId, family, next))
                : Mono.just(new Rotation(Outcome.INVALID, userId, family, null)));
          });
        });
  }

  /** Ends the sign-in the token belongs to; returns its user, or empty for an unknown token. */
  Mono<String> revokeByToken(String token) {
    String key = TOKEN + hash(token);
    return redis.<String, String>opsForHash().entries(key).collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .filter(record -> !record.isEmpty())
        .flatMap(record -> revokeFamily(record.get("user"), record.get("family")).thenReturn(record.get("user")));
  }

  @Override
  public Mono<Void> revokeAll(String userId) {
    return redis.opsForSet().members(USER_FAMILIES + userId)
        .flatMap(family -> redis.delete(FAMILY + family))
        .then(redis.delete(USER_FAMILIES + userId))
        .then();
  }

  private Mono<Void> revokeFamily(String userId, String family) {
    return redis.delete(FAMILY + family).then(redis.opsForSet().remove(USER_FAMILIES + userId, family)).then();
  }

  private Mono<String> issue(String userId, String family) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String key = TOKEN + hash(token);
    return redis.<String, String>opsForHash().putAll(key, Map.of("user", userId, "family", family, "used", "0"))
        .then(redis.expire(key, ttl))
        .thenReturn(token);
  }

  static String hash(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
