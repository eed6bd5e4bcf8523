package dev.constellation.workspace.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.constellation.workspace.config.WorkspaceProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class ConcurrencyLimitsTest {
  private final ConcurrencyLimits limits =
      new ConcurrencyLimits(
          new WorkspaceProperties(
              WorkspaceProperties.RuntimeKind.DOCKER,
              Path.of("/tmp"),
              "img",
              Duration.ofMinutes(30),
              Duration.ofSeconds(30),
              "default",
              new WorkspaceProperties.Limits(1, 1, 1),
              new WorkspaceProperties.Isolation(1000, true, true, true, "/home/dev", "64m"),
              new WorkspaceProperties.Network(
                  "n", false, List.of(), WorkspaceProperties.FirewallMode.SERVICE),
              new WorkspaceProperties.Files(1),
              new WorkspaceProperties.Exec(
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(1),
                  1,
                  2,
                  3,
                  Duration.ofSeconds(7),
                  true),
              new WorkspaceProperties.Terminal(
                  Duration.ofSeconds(60),
                  List.of(),
                  List.of("bash"),
                  1,
                  1,
                  1024,
                  1024,
                  1024,
                  Duration.ofSeconds(1),
                  20,
                  100),
              new WorkspaceProperties.Local(true, false, List.of(), false)));

  @Test
  void aUserBeyondItsCapIsRefusedWith429AndRetryAfterWhileOthersGoOn() {
    var one = limits.acquire(ConcurrencyLimits.Kind.EXEC, "alice", "p1");
    limits.acquire(ConcurrencyLimits.Kind.EXEC, "alice", "p2");
    assertThatThrownBy(() -> limits.acquire(ConcurrencyLimits.Kind.EXEC, "alice", "p3"))
        .isInstanceOfSatisfying(
            TooManyConcurrentException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
              assertThat(e.type()).isEqualTo("concurrent-execs");
              assertThat(e.retryAfterSeconds()).isEqualTo(7);
            });
    limits.acquire(ConcurrencyLimits.Kind.EXEC, "bob", "p3").close();
    one.close();
    one.close();
    limits.acquire(ConcurrencyLimits.Kind.EXEC, "alice", "p3");
    assertThatThrownBy(() -> limits.acquire(ConcurrencyLimits.Kind.EXEC, "alice", "p4"))
        .as("a second close gives back nothing more")
        .isInstanceOf(TooManyConcurrentException.class);
  }

  @Test
  void aProjectBeyondItsCapIsRefusedAndTheUsersPlaceIsGivenBack() {
    limits.acquire(ConcurrencyLimits.Kind.EXEC, "a", "shared");
    limits.acquire(ConcurrencyLimits.Kind.EXEC, "b", "shared");
    limits.acquire(ConcurrencyLimits.Kind.EXEC, "c", "shared");
    assertThatThrownBy(() -> limits.acquire(ConcurrencyLimits.Kind.EXEC, "d", "shared"))
        .isInstanceOf(TooManyConcurrentException.class);
    limits.acquire(ConcurrencyLimits.Kind.EXEC, "d", "elsewhere");
    limits.acquire(ConcurrencyLimits.Kind.EXEC, "d", "elsewhere2");
  }
}
