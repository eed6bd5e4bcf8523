package dev.constellation.project.deletion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeletionBackoffTest {
  private final DeletionWorker worker =
      new DeletionWorker(
          null,
          null,
          null,
          new DeletionProperties(
              Duration.ofSeconds(3),
              Duration.ofSeconds(2),
              Duration.ofMinutes(5),
              Duration.ofMinutes(2)),
          null,
          null);

  @Test
  void doublesTheWaitAfterEachFailureUpToTheMaximum() {
    assertThat(worker.backoff(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(worker.backoff(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(worker.backoff(5)).isEqualTo(Duration.ofSeconds(32));
    assertThat(worker.backoff(9)).isEqualTo(Duration.ofMinutes(5));
    assertThat(worker.backoff(1000)).isEqualTo(Duration.ofMinutes(5));
  }
}
