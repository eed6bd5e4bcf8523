package dev.constellation.claude.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30));

  @RepeatedTest(20)
  void backoffDoublesWithJitterBetweenHalfAndFull() {
    assertThat(policy.nextDelay(1, null, Duration.ZERO))
        .isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
    assertThat(policy.nextDelay(2, null, Duration.ZERO))
        .isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
    assertThat(policy.nextDelay(3, null, Duration.ZERO))
        .isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000));
  }

  @Test
  void givesUpAfterMaxAttemptsOrPastTheTotalTime() {
    assertThat(policy.nextDelay(5, null, Duration.ZERO)).isNull();
    assertThat(policy.nextDelay(2, null, Duration.ofMillis(29_900))).isNull();
  }

  @Test
  void honoursALongerRetryAfterButNotBeyondTheTotal() {
    assertThat(policy.nextDelay(1, Duration.ofSeconds(3), Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(policy.nextDelay(1, Duration.ofSeconds(60), Duration.ZERO)).isNull();
  }

  @Test
  void retriesRateLimitsOverloadAndServerErrorsOnly() {
    assertThat(RetryPolicy.retryableStatus(429)).isTrue();
    assertThat(RetryPolicy.retryableStatus(529)).isTrue();
    assertThat(RetryPolicy.retryableStatus(500)).isTrue();
    assertThat(RetryPolicy.retryableStatus(400)).isFalse();
    assertThat(RetryPolicy.retryableStatus(401)).isFalse();
  }
}
