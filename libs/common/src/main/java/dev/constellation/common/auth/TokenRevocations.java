package dev.constellation.common.auth;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Whether an access token was revoked after it was signed: the one place that knows the Redis keys
 * and the rule, used by the gateway and by every service on every request, so that sign-out,
 * password change, role change, disabling and deleting take effect on the next request everywhere
 * rather than when the token expires.
 *
 * <ul>
 *   <li>{@code constellation:user:token-version:<userId>}: the user's token version, a number the
 *       gateway raises (to at least the current time in milliseconds) whenever all of the user's
 *       tokens must stop working. A token carries the version read before it was signed; an older
 *       one is refused. The key expires once every token it could refuse has expired.
 *   <li>{@code constellation:refresh:family:<sessionId>}: the sign-in (refresh-token family) a
 *       token belongs to, holding the user id; a token whose sign-in has ended is refused.
 *   <li>{@link DisabledUsers#key}: a disabled or deleted account.
 * </ul>
 *
 * <p>Nothing is cached: each request reads the keys (one MGET). When Redis cannot answer, the token
 * is refused with 503 rather than let through.
 *
 * <p>The gateway also publishes the user id on {@link #USER_REVOKED_CHANNEL} whenever it revokes,
 * so that services close that user's open terminals and AI streams.
 */
public final class TokenRevocations {
  /** Message: the id of a user whose tokens were just revoked. */
  public static final String USER_REVOKED_CHANNEL = "constellation:user-revoked";

  private static final String VERSION_PREFIX = "constellation:user:token-version:";
  private static final String SESSION_PREFIX = "constellation:refresh:family:";

  /** Bounds the reactive read even if the client's own command timeout is not set. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

  /**
   * Raises the version to max(current + 1, ARGV[1]) and keeps it for ARGV[2] ms. Taking the time as
   * a floor keeps the version rising even after Redis lost the key (restart without data): every
   * token signed before is then still older.
   */
  private static final RedisScript<Long> BUMP =
      RedisScript.of(
          """
      local current = tonumber(redis.call('GET', KEYS[1]) or '0')
      local next = math.max(current + 1, tonumber(ARGV[1]))
      redis.call('SET', KEYS[1], next, 'PX', ARGV[2])
      return next
      """,
          Long.class);

  private TokenRevocations() {}

  public static String versionKey(String userId) {
    return VERSION_PREFIX + userId;
  }

  /** The key of a sign-in; the gateway's refresh-token store keeps its family under it. */
  public static String sessionKey(String sessionId) {
    return SESSION_PREFIX + sessionId;
  }

  /** The stored version, 0 when there is none. */
  public static long version(String stored) {
    if (stored == null) return 0;
    try {
      return Long.parseLong(stored.trim());
    } catch (NumberFormatException e) {
      // A value we did not write: treat every token as revoked rather than guess.
      return Long.MAX_VALUE;
    }
  }

  /**
   * The script that raises a version: KEYS[1] = {@link #versionKey}, ARGV = now in ms, TTL in ms.
   */
  public static RedisScript<Long> bumpScript() {
    return BUMP;
  }

  /**
   * How long a raised version must be kept: until every token signed before it has expired, plus
   * the skew verification allows.
   */
  public static Duration versionRetention(Duration accessTokenTtl) {
    return accessTokenTtl.plus(JwtCodec.CLOCK_SKEW).plus(Duration.ofMinutes(1));
  }

  /** The keys to read for this token, in the order {@link #refusal} expects; none for services. */
  static List<String> keys(AccessToken token) {
    AuthenticatedUser user = token.user();
    if (user.isService()) return List.of();
    List<String> keys = new ArrayList<>(3);
    keys.add(versionKey(user.id()));
    keys.add(DisabledUsers.key(user.id()));
    if (token.sessionId() != null) keys.add(sessionKey(token.sessionId()));
    return keys;
  }

  /** Why the token no longer counts, given the values of {@link #keys}; empty while it stands. */
  static Optional<String> refusal(AccessToken token, List<String> values) {
    if (values.get(1) != null) return Optional.of("This account is disabled.");
    if (token.sessionId() != null && !token.user().id().equals(values.get(2))) {
      return Optional.of(
          "This sign-in has ended (signed out, or its refresh token was replayed); sign in again.");
    }
    if (token.version() < version(values.get(0))) {
      return Optional.of(
          "This token was revoked (password, role or account change); sign in again.");
    }
    return Optional.empty();
  }

  /**
   * For servlet services: returns normally when the token stands.
   *
   * @throws ApiException 401 when it was revoked, 503 when Redis cannot say
   */
  public static void check(AccessToken token, StringRedisTemplate redis) {
    List<String> keys = keys(token);
    if (keys.isEmpty()) return;
    if (redis == null) throw unavailable();
    List<String> values;
    try {
      values = redis.opsForValue().multiGet(keys);
    } catch (RuntimeException e) {
      throw unavailable();
    }
    if (values == null || values.size() != keys.size()) throw unavailable();
    Optional<String> refused = refusal(token, values);
    if (refused.isPresent()) throw ApiException.unauthorized(refused.get());
  }

  /** For the gateway: the token when it stands, else an {@link ApiException} (401, or 503). */
  public static Mono<AccessToken> check(AccessToken token, ReactiveStringRedisTemplate redis) {
    List<String> keys = keys(token);
    if (keys.isEmpty()) return Mono.just(token);
    return redis
        .opsForValue()
        .multiGet(keys)
        .timeout(READ_TIMEOUT)
        .onErrorMap(e -> unavailable())
        .switchIfEmpty(Mono.error(TokenRevocations::unavailable))
        .flatMap(
            values -> {
              if (values.size() != keys.size()) return Mono.error(unavailable());
              Optional<String> refused = refusal(token, values);
              return refused.isPresent()
                  ? Mono.error(ApiException.unauthorized(refused.get()))
                  : Mono.just(token);
            });
  }

  /** Revocation cannot be checked: the request is refused, never let through. */
  public static ApiException unavailable() {
    return new ApiException(
        ProblemType.STORAGE_UNAVAILABLE,
        "Signed-in requests cannot be checked right now (the session store does not answer); try again shortly.");
  }
}
