package dev.constellation.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.constellation.common.problem.ApiException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;

/** With Redis unreachable a user's token is refused with 503, never let through, and quickly. */
class TokenRevocationsRedisDownTest {
  private static final AccessToken ALICE =
      new AccessToken(new AuthenticatedUser("alice", "a@example.test", Set.of("USER")), 1, "s1");
  private static LettuceConnectionFactory connections;

  @BeforeAll
  static void pointAtNothing() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    var client =
        LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(500)).build();
    connections =
        new LettuceConnectionFactory(
            new RedisStandaloneConfiguration("127.0.0.1", closedPort), client);
    connections.afterPropertiesSet();
    connections.start();
  }

  @AfterAll
  static void close() {
    connections.destroy();
  }

  @Test
  void theServletCheckFailsClosed() {
    // The first attempt also loads the client's classes, which on a busy machine takes seconds.
    assertThatThrownBy(() -> TokenRevocations.check(ALICE, new StringRedisTemplate(connections)))
        .isInstanceOf(ApiException.class);
    long started = System.nanoTime();
    assertThatThrownBy(() -> TokenRevocations.check(ALICE, new StringRedisTemplate(connections)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theReactiveCheckFailsClosed() {
    assertThatThrownBy(
            () ->
                TokenRevocations.check(ALICE, new ReactiveStringRedisTemplate(connections)).block())
        .isInstanceOf(ApiException.class);
    long started = System.nanoTime();
    assertThatThrownBy(
            () ->
                TokenRevocations.check(ALICE, new ReactiveStringRedisTemplate(connections)).block())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }
}
