package dev.constellation.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.constellation.common.problem.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class TokenRevocationsTest {
  private static final AuthenticatedUser ALICE =
      new AuthenticatedUser("alice", "a@example.test", Set.of("USER"));
  private final JwtCodec codec =
      new JwtCodec("x".repeat(32), "constellation", "constellation-api", Clock.systemUTC());

  @Test
  void theCodecCarriesVersionAndSessionThroughSigning() {
    AccessToken token =
        codec.verifyAccess(codec.sign(ALICE, Duration.ofMinutes(1), 42, "family-1"));
    assertThat(token.version()).isEqualTo(42);
    assertThat(token.sessionId()).isEqualTo("family-1");
    assertThat(token.user().id()).isEqualTo("alice");

    AccessToken plain = codec.verifyAccess(codec.sign(ALICE, Duration.ofMinutes(1)));
    assertThat(plain.version()).isZero();
    assertThat(plain.sessionId()).isNull();
  }

  @Test
  void aTokenStandsWhileItsSessionLivesAndItsVersionIsCurrent() {
    AccessToken token = new AccessToken(ALICE, 100, "s1");
    assertThat(TokenRevocations.keys(token))
        .containsExactly(
            "constellation:user:token-version:alice",
            "constellation:user:disabled:alice",
            "constellation:refresh:family:s1");
    assertThat(TokenRevocations.refusal(token, values("100", null, "alice"))).isEmpty();
    assertThat(TokenRevocations.refusal(token, values(null, null, "alice"))).isEmpty();
  }

  @Test
  void anOlderVersionAnEndedSessionOrADisabledAccountIsRefused() {
    AccessToken token = new AccessToken(ALICE, 100, "s1");
    assertThat(TokenRevocations.refusal(token, values("101", null, "alice"))).isPresent();
    assertThat(TokenRevocations.refusal(token, values(null, null, null))).isPresent();
    assertThat(TokenRevocations.refusal(token, values(null, null, "mallory"))).isPresent();
    assertThat(TokenRevocations.refusal(token, values(null, "1", "alice"))).isPresent();
    assertThat(TokenRevocations.refusal(token, values("garbage", null, "alice"))).isPresent();
  }

  @Test
  void aTokenWithoutSessionIsJudgedByVersionAndAccountAlone() {
    AccessToken token = new AccessToken(ALICE, 0, null);
    assertThat(TokenRevocations.keys(token)).hasSize(2);
    assertThat(TokenRevocations.refusal(token, values(null, null))).isEmpty();
    assertThat(TokenRevocations.refusal(token, values("1", null))).isPresent();
  }

  @Test
  void serviceTokensNeedNoLookUpAndNoRedisFailsClosed() {
    AccessToken service =
        new AccessToken(
            new AuthenticatedUser("service:x", null, Set.of(AuthenticatedUser.SERVICE)), 0, null);
    assertThat(TokenRevocations.keys(service)).isEmpty();
    TokenRevocations.check(service, (org.springframework.data.redis.core.StringRedisTemplate) null);
    assertThatThrownBy(
            () ->
                TokenRevocations.check(
                    new AccessToken(ALICE, 0, null),
                    (org.springframework.data.redis.core.StringRedisTemplate) null))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
  }

  private static List<String> values(String... values) {
    return Arrays.asList(values);
  }
}
