package dev.constellation.gateway.auth;

import dev.constellation.common.auth.TokenRevocations;
import dev.constellation.gateway.users.Sessions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Takes tokens away at once: raises the user's token version (every access token signed before is
 * refused by the gateway and every service on its next request), ends refresh-token families, and
 * announces the user on {@link TokenRevocations#USER_REVOKED_CHANNEL} so that services close the
 * user's open terminals and AI streams.
 */
@Component
class SessionRevocation implements Sessions {
  private final ReactiveStringRedisTemplate redis;
  private final RefreshTokenStore refreshTokens;
  private final Duration retention;
  private final Clock clock;

  SessionRevocation(
      ReactiveStringRedisTemplate redis,
      RefreshTokenStore refreshTokens,
      AccountProperties properties,
      Clock clock) {
    this.redis = redis;
    this.refreshTokens = refreshTokens;
    this.retention = TokenRevocations.versionRetention(properties.accessTokenTtl());
    this.clock = clock;
  }

  /** Every sign-in of the user ends and every access token of theirs stops working. */
  @Override
  public Mono<Void> revokeAll(String userId) {
    return redis
        .execute(
            TokenRevocations.bumpScript(),
            List.of(TokenRevocations.versionKey(userId)),
            List.of(Long.toString(clock.millis()), Long.toString(retention.toMillis())))
        .then(refreshTokens.revokeAll(userId))
        .then(announce(userId));
  }

  /** Services close the user's terminals and AI streams. */
  Mono<Void> announce(String userId) {
    return redis.convertAndSend(TokenRevocations.USER_REVOKED_CHANNEL, userId).then();
  }

  /** The version a token signed now must carry; read before the account is read. */
  Mono<Long> currentVersion(String userId) {
    return redis
        .opsForValue()
        .get(TokenRevocations.versionKey(userId))
        .map(TokenRevocations::version)
        .defaultIfEmpty(0L);
  }
}
