package dev.constellation.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.auth.TokenRevocations;
import dev.constellation.localstack.TestInfrastructure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** A sign-in ends at its absolute deadline however often it was refreshed before (A13). */
class SessionLifetimeIT {
  private static LettuceConnectionFactory connections;
  private static ReactiveStringRedisTemplate redis;

  /** A clock the test moves; Redis's own TTLs stay in real time and far away. */
  static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @BeforeAll
  static void connect() {
    connections =
        new LettuceConnectionFactory(
            LettuceConnectionFactory.createRedisConfiguration(TestInfrastructure.redis().url()));
    connections.afterPropertiesSet();
    connections.start();
    redis = new ReactiveStringRedisTemplate(connections);
  }

  @AfterAll
  static void disconnect() {
    connections.destroy();
  }

  @Test
  void refreshingCannotStretchASignInPastItsMaximumLifetime() {
    MovableClock clock = new MovableClock();
    var properties =
        new AccountProperties(Duration.ofMinutes(15), Duration.ofDays(14), 4, Duration.ofHours(1));
    RefreshTokenStore store = new RefreshTokenStore(redis, properties, clock);

    RefreshTokenStore.Started started = store.startFamily("lifetime-user").block();
    String token = started.token();
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofMinutes(25));
      RefreshTokenStore.Rotation rotation = store.rotate(token).block();
      assertThat(rotation.outcome()).isEqualTo(RefreshTokenStore.Outcome.ROTATED);
      token = rotation.token();
    }
    assertThat(redis.hasKey(TokenRevocations.sessionKey(started.familyId())).block()).isTrue();

    clock.advance(
        Duration.ofMinutes(
            11)); // 61 minutes after the sign-in; the last refresh was 11 minutes ago
    assertThat(store.rotate(token).block().outcome()).isEqualTo(RefreshTokenStore.Outcome.INVALID);
    // The sign-in itself is over: its access tokens are refused by TokenRevocations too.
    assertThat(redis.hasKey(TokenRevocations.sessionKey(started.familyId())).block()).isFalse();
  }

  @Test
  void aSignInsKeysNeverOutliveItsDeadline() {
    MovableClock clock = new MovableClock();
    var properties =
        new AccountProperties(
            Duration.ofMinutes(15), Duration.ofDays(14), 4, Duration.ofMinutes(5));
    RefreshTokenStore store = new RefreshTokenStore(redis, properties, clock);

    RefreshTokenStore.Started started = store.startFamily("short-user").block();
    Duration ttl = redis.getExpire(TokenRevocations.sessionKey(started.familyId())).block();
    assertThat(ttl).isLessThanOrEqualTo(Duration.ofMinutes(5)).isPositive();
  }
}
