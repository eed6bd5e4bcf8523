package dev.constellation.workspace.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.constellation.workspace.config.PauseProperties;
import dev.constellation.workspace.config.ProjectDirectories;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The paused-memory bound: the longest-paused workspaces are stopped first, only as many as needed.
 */
class PausedMemoryTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final long MB = 1L << 20;

  private final WorkspaceRuntime runtime = mock(WorkspaceRuntime.class);
  private final WorkspaceRepository repository = mock(WorkspaceRepository.class);
  private final Map<String, WorkspaceRecord> records = new HashMap<>();
  private final WorkspaceService workspaces =
      new WorkspaceService(
          runtime,
          repository,
          mock(ProjectDirectories.class),
          mock(ActivityTracker.class),
          event -> {},
          mock(WorkspaceSettingsService.class),
          Clock.fixed(T0, ZoneOffset.UTC),
          new SimpleMeterRegistry(),
          new PausedProjects(),
          new PauseProperties(Duration.ofMinutes(5), DataSize.ofGigabytes(4), 0.05));

  private void paused(String projectId, Duration pausedFor, long memory) {
    WorkspaceRecord record = new WorkspaceRecord(projectId, "docker");
    record.status = WorkspaceStatus.PAUSED;
    record.pausedAt = T0.minus(pausedFor);
    record.pausedMemoryBytes = memory;
    records.put(projectId, record);
  }

  @Test
  void stopsTheLongestPausedFirstUntilTheRestFits() {
    paused("newest", Duration.ofMinutes(1), 300 * MB);
    paused("oldest", Duration.ofMinutes(20), 200 * MB);
    paused("middle", Duration.ofMinutes(10), 400 * MB);
    when(repository.findByStatusIn(any())).thenReturn(List.copyOf(records.values()));
    when(repository.findById(any()))
        .thenAnswer(call -> Optional.ofNullable(records.get((String) call.getArgument(0))));

    // 900 MB held, 500 allowed: the oldest (200) is not enough, the middle one (400) must go too.
    assertThat(workspaces.enforcePausedMemory(500 * MB)).containsExactly("oldest", "middle");
    verify(runtime).stop("oldest");
    verify(runtime).stop("middle");
    verify(runtime, never()).stop("newest");
    assertThat(records.get("oldest").status).isEqualTo(WorkspaceStatus.STOPPED);
    assertThat(records.get("newest").status).isEqualTo(WorkspaceStatus.PAUSED);
  }

  @Test
  void withinTheBoundNothingStops() {
    paused("a", Duration.ofMinutes(1), 300 * MB);
    paused("b", Duration.ofMinutes(2), 300 * MB);
    when(repository.findByStatusIn(any())).thenReturn(List.copyOf(records.values()));
    assertThat(workspaces.enforcePausedMemory(600 * MB)).isEmpty();
    verify(runtime, never()).stop(any());
  }
}
