package dev.constellation.workspace.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.constellation.workspace.config.PauseProperties;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.events.WorkspaceEvent;
import dev.constellation.workspace.runtime.ResourceUsage;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.unit.DataSize;

/** The idle warning on a fake clock: once before the stop, cancelled by activity, then the stop. */
class IdleReaperTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration IDLE = Duration.ofMinutes(10);

  private Instant now = T0;
  private final List<WorkspaceEvent> published = new ArrayList<>();
  private final WorkspaceRepository repository = mock(WorkspaceRepository.class);
  private final WorkspaceService workspaces = mock(WorkspaceService.class);
  private final WorkspaceRuntime runtime = mock(WorkspaceRuntime.class);
  private final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final ActivityTracker activity =
      new ActivityTracker(mock(StringRedisTemplate.class), clock, this::collect, runtime);
  private final IdleReaper reaper =
      new IdleReaper(
          mock(MongoTemplate.class),
          repository,
          workspaces,
          activity,
          properties(),
          clock,
          this::collect,
          Duration.ofMinutes(1),
          runtime,
          new PauseProperties(Duration.ofMinutes(5), DataSize.ofGigabytes(4), 0.05));

  private void collect(Object event) {
    if (event instanceof WorkspaceEvent e) published.add(e);
  }

  @Test
  void warnsOnceAMinuteBeforeTheStopAndActivityCancelsIt() {
    when(runtime.name()).thenReturn("docker");
    WorkspaceRecord record = new WorkspaceRecord("p1", "docker");
    record.status = WorkspaceStatus.RUNNING;
    record.startedAt = T0;
    record.lastActivityAt = T0;
    when(repository.findByStatusIn(any())).thenReturn(List.of(record));

    at(Duration.ofMinutes(8));
    assertThat(reaper.reap(now, IDLE)).isEmpty();
    assertThat(published).isEmpty();

    at(Duration.ofSeconds(9 * 60 + 30));
    assertThat(reaper.reap(now, IDLE)).isEmpty();
    assertThat(published).hasSize(1);
    assertThat(published.get(0).type()).isEqualTo("idle-warning");
    assertThat(published.get(0).data()).isEqualTo(Map.of("stopsAt", T0.plus(IDLE).toString()));

    at(Duration.ofSeconds(9 * 60 + 40));
    reaper.reap(now, IDLE);
    assertThat(published).as("one warning per announced stop").hasSize(1);

    // Typing in a terminal: the warning is withdrawn at once, with a status the IDE can show.
    at(Duration.ofSeconds(9 * 60 + 45));
    activity.touch("p1");
    assertThat(published).hasSize(2);
    assertThat(published.get(1).type()).isEqualTo("status");
    assertThat(((Map<?, ?>) published.get(1).data()).get("phase")).isEqualTo("ready");

    at(Duration.ofSeconds(10 * 60 + 30));
    assertThat(reaper.reap(now, IDLE)).as("activity moved the stop").isEmpty();
    verify(workspaces, never()).stop("p1");
    assertThat(published).hasSize(2);

    at(Duration.ofMinutes(19));
    reaper.reap(now, IDLE);
    assertThat(published).hasSize(3);
    assertThat(published.get(2).data())
        .isEqualTo(
            Map.of("stopsAt", T0.plus(Duration.ofSeconds(9 * 60 + 45)).plus(IDLE).toString()));

    at(Duration.ofMinutes(20));
    assertThat(reaper.reap(now, IDLE)).containsExactly("p1");
    verify(workspaces).stop("p1");
  }

  @Test
  void pausesAnIdleWorkspaceAfterFiveMinutesButNotWhileItIsBusy() {
    when(runtime.name()).thenReturn("docker");
    when(runtime.canPause()).thenReturn(true);
    WorkspaceRecord record = new WorkspaceRecord("p1", "docker");
    record.status = WorkspaceStatus.RUNNING;
    record.startedAt = T0;
    record.lastActivityAt = T0;
    when(repository.findByStatusIn(any())).thenReturn(List.of(record));
    long memory = 300L << 20;

    at(Duration.ofMinutes(4));
    reaper.reap(now, IDLE);
    verify(runtime, never()).usage("p1");

    // A build runs: half a core over the engine's last second, then over the 30 s since.
    at(Duration.ofMinutes(6));
    when(runtime.usage("p1")).thenReturn(Optional.of(new ResourceUsage(memory, 10_000L, 0.5)));
    reaper.reap(now, IDLE);
    at(Duration.ofSeconds(6 * 60 + 30));
    when(runtime.usage("p1"))
        .thenReturn(Optional.of(new ResourceUsage(memory, 10_000L + 15_000_000_000L, 0.0)));
    reaper.reap(now, IDLE);
    verify(workspaces, never()).pauseIfRunning(any(), anyLong(), any());

    // The build ended: almost no CPU since the last check.
    at(Duration.ofMinutes(7));
    when(runtime.usage("p1"))
        .thenReturn(Optional.of(new ResourceUsage(memory, 10_000L + 15_010_000_000L, 0.9)));
    reaper.reap(now, IDLE);
    verify(workspaces).pauseIfRunning("p1", memory, T0);
    verify(workspaces, never()).stop("p1");
  }

  @Test
  void stopsAPausedWorkspaceAtTheIdleTimeoutAndHoldsPausedMemoryToTheBound() {
    when(runtime.canPause()).thenReturn(true);
    WorkspaceRecord record = new WorkspaceRecord("p1", "docker");
    record.status = WorkspaceStatus.PAUSED;
    record.startedAt = T0;
    record.lastActivityAt = T0;
    when(repository.findByStatusIn(any())).thenReturn(List.of(record));

    at(Duration.ofMinutes(9));
    assertThat(reaper.reap(now, IDLE)).isEmpty();
    verify(runtime, never()).usage(any());
    verify(workspaces).enforcePausedMemory(DataSize.ofGigabytes(4).toBytes());

    at(Duration.ofMinutes(11));
    assertThat(reaper.reap(now, IDLE)).containsExactly("p1");
    verify(workspaces).stop("p1");
  }

  @Test
  void neverPausesWhenTheRuntimeCannot() {
    when(runtime.canPause()).thenReturn(false);
    WorkspaceRecord record = new WorkspaceRecord("p1", "local");
    record.status = WorkspaceStatus.RUNNING;
    record.startedAt = T0;
    record.lastActivityAt = T0;
    when(repository.findByStatusIn(any())).thenReturn(List.of(record));
    at(Duration.ofMinutes(8));
    reaper.reap(now, IDLE);
    verify(runtime, never()).usage(any());
    verify(workspaces, never()).pauseIfRunning(any(), anyLong(), any());
    verify(workspaces, never()).enforcePausedMemory(anyLong());
  }

  private void at(Duration sinceStart) {
    now = T0.plus(sinceStart);
  }

  private static WorkspaceProperties properties() {
    return new WorkspaceProperties(
        WorkspaceProperties.RuntimeKind.DOCKER,
        java.nio.file.Path.of("/tmp"),
        "img",
        IDLE,
        Duration.ofSeconds(30),
        "default",
        new WorkspaceProperties.Limits(1, 1, 1),
        new WorkspaceProperties.Isolation(1000, true, true, true, "/home/dev", "64m"),
        new WorkspaceProperties.Network(
            "n", false, List.of(), WorkspaceProperties.FirewallMode.SERVICE),
        new WorkspaceProperties.Files(1),
        new WorkspaceProperties.Exec(
            Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1, 1, Duration.ofSeconds(1), true),
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
        new WorkspaceProperties.Local(true, false, List.of(), false));
  }
}
