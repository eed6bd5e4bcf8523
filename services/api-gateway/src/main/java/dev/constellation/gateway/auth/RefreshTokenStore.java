package dev.constellation.gateway.auth;

import dev.constellation.common.auth.TokenRevocations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
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
 * every refresh marks the presented token used and issues its successor in the same family. A used
 * token presented again means it was stolen or replayed, so the whole family is revoked.
 *
 * <p>The family key is also the sign-in every access token names ({@link
 * TokenRevocations#sessionKey}): deleting it refuses that sign-in's access tokens at once, at every
 * service. A family lives at most {@code sessionMaxLifetime} from the sign-in, however often it is
 * refreshed.
 */
@Component
class RefreshTokenStore {
  private static final String TOKEN = "constellation:refresh:token:";
  private static final String USER_FAMILIES = "constellation:refresh:user:";

  private final ReactiveStringRedisTemplate redis;
  private final Duration ttl;
  private final Duration maxLifetime;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  RefreshTokenStore(ReactiveStringRedisTemplate redis, AccountProperties properties, Clock clock) {
    this.redis = redis;
    this.ttl = properties.refreshTokenTtl();
    this.maxLifetime = properties.sessionMaxLifetime();
    this.clock = clock;
  }

  enum Outcome {
    ROTATED,
    REUSED,
    INVALID
  }

  record Rotation(Outcome outcome, String userId, String familyId, String token) {}

  /** A sign-in's family and its current refresh token. */
  record Started(String familyId, String token) {}

  /** A new family for a new sign-in, and its first token. */
  Mono<Started> startFamily(String userId) {
    String family = UUID.randomUUID().toString();
    long deadline = clock.millis() + maxLifetime.toMillis();
    Duration life = lifeLeft(deadline);
    return redis
        .opsForValue()
        .set(TokenRevocations.sessionKey(family), userId, life)
        .then(redis.opsForSet().add(USER_FAMILIES + userId, family))
        .then(
            redis.expire(
                USER_FAMILIES + userId, ttl.compareTo(maxLifetime) > 0 ? ttl : maxLifetime))
        .then(issue(userId, family, deadline))
        .map(token -> new Started(family, token));
  }

  Mono<Rotation> rotate(String token) {
    String key = TOKEN + hash(token);
    return redis
        .<String, String>opsForHash()
        .entries(key)
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .flatMap(
            record -> {
              if (record.isEmpty())
                return Mono.just(new Rotation(Outcome.INVALID, null, null, null));
              String userId = record.get("user");
              String family = record.get("family");
              // Tokens issued before the absolute lifetime existed start counting it now.
              long deadline =
                  record.containsKey("deadline")
                      ? Long.parseLong(record.get("deadline"))
                      : clock.millis() + maxLifetime.toMillis();
              // HINCRBY is atomic: of two requests racing with one token, exactly one sees 1.
              return redis
                  .<String, String>opsForHash()
                  .increment(key, "used", 1)
                  .flatMap(
                      used -> {
                        if (used > 1) {
                          return revokeFamily(userId, family)
                              .thenReturn(new Rotation(Outcome.REUSED, userId, family, null));
                        }
                        if (clock.millis() >= deadline) {
                          return revokeFamily(userId, family)
                              .thenReturn(new Rotation(Outcome.INVALID, userId, family, null));
                        }
                        String familyKey = TokenRevocations.sessionKey(family);
                        return redis
                            .hasKey(familyKey)
                            .flatMap(
                                alive ->
                                    alive
                                        ? redis
                                            .expire(familyKey, lifeLeft(deadline))
                                            .then(issue(userId, family, deadline))
                                            .map(
                                                next ->
                                                    new Rotation(
                                                        Outcome.ROTATED, userId, family, next))
                                        : Mono.just(
                                            new Rotation(Outcome.INVALID, userId, family, null)));
                      });
            });
  }

  /** Ends the sign-in the token belongs to; returns its user, or empty for an unknown token. */
  Mono<String> revokeByToken(String token) {
    String key = TOKEN + hash(token);
    return redis
        .<String, String>opsForHash()
        .entries(key)
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .filter(record -> !record.isEmpty())
        .flatMap(
            record ->
                revokeFamily(record.get("user"), record.get("family"))
                    .thenReturn(record.get("user")));
  }

  /** Ends every sign-in of the user. */
  Mono<Void> revokeAll(String userId) {
    return redis
        .opsForSet()
        .members(USER_FAMILIES + userId)
        .flatMap(family -> redis.delete(TokenRevocations.sessionKey(family)))
        .then(redis.delete(USER_FAMILIES + userId))
        .then();
  }

  private Mono<Void> revokeFamily(String userId, String family) {
    return redis
        .delete(TokenRevocations.sessionKey(family))
        .then(redis.opsForSet().remove(USER_FAMILIES + userId, family))
        .then();
  }

  private Mono<String> issue(String userId, String family, long deadline) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String key = TOKEN + hash(token);
    return redis
        .<String, String>opsForHash()
        .putAll(
            key,
            Map.of(
                "user", userId, "family", family, "used", "0", "deadline", Long.toString(deadline)))
        .then(redis.expire(key, lifeLeft(deadline)))
        .thenReturn(token);
  }

  /** The sliding lifetime, cut at the sign-in's absolute deadline. */
  private Duration lifeLeft(long deadline) {
    Duration left = Duration.ofMillis(Math.max(1000, deadline - clock.millis()));
    return left.compareTo(ttl) < 0 ? left : ttl;
  }

  static String hash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
