package dev.constellation.workspace.lifecycle;

import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.config.ProjectDirectories;
import dev.constellation.workspace.events.WorkspaceEvent;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Starts and stops workspaces. Within one replica a per-project lock orders racing requests; across
 * replicas the runtime's own uniqueness (the container name) does, and MongoDB holds the outcome.
 */
@Service
public class WorkspaceService {
  private static final Logger log = LoggerFactory.getLogger(WorkspaceService.class);

  private final ReentrantLock[] locks = new ReentrantLock[256];
  private final WorkspaceRuntime runtime;
  private final WorkspaceRepository repository;
  private final ProjectDirectories directories;
  private final ActivityTracker activity;
  private final ApplicationEventPublisher events;
  private final WorkspaceSettingsService settings;
  private final Clock clock;
  private final Counter starts;
  private final Counter startFailures;
  private final Counter stops;
  private final Timer startDuration;

  WorkspaceService(
      WorkspaceRuntime runtime,
      WorkspaceRepository repository,
      ProjectDirectories directories,
      ActivityTracker activity,
      ApplicationEventPublisher events,
      WorkspaceSettingsService settings,
      Clock clock,
      MeterRegistry meters) {
    this.runtime = runtime;
    this.repository = repository;
    this.directories = directories;
    this.activity = activity;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
    for (int i = 0; i < locks.length; i++) locks[i] = new ReentrantLock();
    this.starts =
        Counter.builder("workspace.starts").description("Workspaces started").register(meters);
    this.startFailures =
        Counter.builder("workspace.start.failures")
            .description("Workspace starts that failed")
            .register(meters);
    this.stops =
        Counter.builder("workspace.stops").description("Workspaces stopped").register(meters);
    this.startDuration =
        Timer.builder("workspace.start.duration")
            .description("Time to bring a workspace to RUNNING")
            .publishPercentileHistogram()
            .register(meters);
    Gauge.builder("workspace.running", repository, r -> r.countByStatus(WorkspaceStatus.RUNNING))
        .description("Workspaces running")
        .register(meters);
  }

  private ReentrantLock lockFor(String projectId) {
    return locks[Math.floorMod(projectId.hashCode(), locks.length)];
  }

  public String runtimeName() {
    return runtime.name();
  }

  public WorkspaceResponse status(String projectId) {
    WorkspaceRecord record = repository.findById(projectId).orElse(null);
    if (record == null)
      return new WorkspaceResponse(
          projectId, WorkspaceStatus.STOPPED, runtime.name(), null, null, runtime.network());
    if (record.status == WorkspaceStatus.RUNNING && !runtime.isRunning(projectId)) {
      ReentrantLock lock = lockFor(projectId);
      lock.lock();
      try {
        record = repository.findById(projectId).orElse(record);
        if (record.status == WorkspaceStatus.RUNNING && !runtime.isRunning(projectId)) {
          // It died under us (out of memory, engine restart): say so rather than pretend.
          record.status = WorkspaceStatus.STOPPED;
          save(record);
          events.publishEvent(new WorkspaceStoppedEvent(projectId));
          publish(projectId, WorkspaceStatus.STOPPED, "stopped", "the workspace ended by itself");
        }
      } finally {
        lock.unlock();
      }
    }
    return toResponse(record);
  }

  /** Starts the workspace (creating it if needed); returns when it runs. Idempotent. */
  public WorkspaceResponse start(String projectId) {
    ReentrantLock lock = lockFor(projectId);
    lock.lock();
    try {
      WorkspaceRecord record =
          repository
              .findById(projectId)
              .orElseGet(() -> new WorkspaceRecord(projectId, runtime.name()));
      if (record.status == WorkspaceStatus.RUNNING && runtime.isRunning(projectId))
        return toResponse(record);
      record.status = WorkspaceStatus.STARTING;
      record.runtime = runtime.name();
      record.failure = null;
      save(record);
      // "creating" first when there is no container yet; "starting" covers the container's start.
      if (!runtime.exists(projectId))
        publish(projectId, WorkspaceStatus.STARTING, "creating", null);
      publish(projectId, WorkspaceStatus.STARTING, "starting", null);
      Timer.Sample sample = Timer.start();
      try {
        runtime.start(projectId, directories.of(projectId), settings.spec(record));
      } catch (RuntimeException e) {
        record.status = WorkspaceStatus.FAILED;
        record.failure = e.getMessage();
        save(record);
        publish(projectId, WorkspaceStatus.FAILED, "failed", e.getMessage());
        startFailures.increment();
        log.error("workspace {} failed to start: {}", projectId, e.toString());
        throw new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE,
            "workspace-unavailable",
            "Workspace unavailable",
            "The workspace could not be started: " + e.getMessage());
      }
      sample.stop(startDuration);
      starts.increment();
      Instant now = clock.instant();
      record.status = WorkspaceStatus.RUNNING;
      record.startedAt = now;
      record.lastActivityAt = now;
      save(record);
      activity.touch(projectId);
      publish(projectId, WorkspaceStatus.RUNNING, "ready", null);
      log.info("workspace {} running ({})", projectId, runtime.name());
      return toResponse(record);
    } finally {
      lock.unlock();
    }
  }

  /** Starts the workspace unless it already runs; for exec and terminals. */
  public void ensureRunning(String projectId) {
    WorkspaceRecord record = repository.findById(projectId).orElse(null);
    if (record != null && record.status == WorkspaceStatus.RUNNING && runtime.isRunning(projectId))
      return;
    start(projectId);
  }

  /** Stops the workspace; its files stay. Idempotent. */
  public WorkspaceResponse stop(String projectId) {
    ReentrantLock lock = lockFor(projectId);
    lock.lock();
    try {
      WorkspaceRecord record = repository.findById(projectId).orElse(null);
      if (record == null) {
        runtime.stop(projectId);
        return new WorkspaceResponse(
            projectId, WorkspaceStatus.STOPPED, runtime.name(), null, null, runtime.network());
      }
      boolean wasUp = record.status != WorkspaceStatus.STOPPED;
      if (wasUp) {
        record.status = WorkspaceStatus.STOPPING;
        save(record);
        publish(projectId, WorkspaceStatus.STOPPING, "stopping", null);
      }
      events.publishEvent(new WorkspaceStoppedEvent(projectId));
      try {
        runtime.stop(projectId);
      } catch (RuntimeException e) {
        record.status = WorkspaceStatus.FAILED;
        record.failure = e.getMessage();
        save(record);
        publish(projectId, WorkspaceStatus.FAILED, "failed", e.getMessage());
        throw new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE,
            "workspace-unavailable",
            "Workspace unavailable",
            "The workspace could not be stopped: " + e.getMessage());
      }
      record.status = WorkspaceStatus.STOPPED;
      save(record);
      activity.clearWarning(projectId);
      if (wasUp) publish(projectId, WorkspaceStatus.STOPPED, "stopped", null);
      if (wasUp) {
        stops.increment();
        log.info("workspace {} stopped", projectId);
      }
      return toResponse(record);
    } finally {
      lock.unlock();
    }
  }

  public WorkspaceResponse restart(String projectId) {
    stop(projectId);
    return start(projectId);
  }

  /** Removes the workspace and its record (the project is being deleted). Idempotent. */
  public void delete(String projectId) {
    ReentrantLock lock = lockFor(projectId);
    lock.lock();
    try {
      events.publishEvent(new WorkspaceStoppedEvent(projectId));
      runtime.remove(projectId);
      repository.deleteById(projectId);
      activity.forget(projectId);
      log.info("workspace {} removed", projectId);
    } finally {
      lock.unlock();
    }
  }

  /** The workspace's state as the event stream's first {@code status} event. */
  public WorkspaceEvent statusEvent(String projectId) {
    WorkspaceResponse now = status(projectId);
    String reason =
        now.status() == WorkspaceStatus.FAILED
            ? repository.findById(projectId).map(r -> r.failure).orElse(null)
            : null;
    return StatusEvents.of(
        projectId, now.status(), StatusEvents.phaseOf(now.status()), reason, now.runtime());
  }

  private void publish(String projectId, WorkspaceStatus status, String phase, String reason) {
    events.publishEvent(StatusEvents.of(projectId, status, phase, reason, runtime.name()));
  }

  private void save(WorkspaceRecord record) {
    record.updatedAt = clock.instant();
    repository.save(record);
  }

  private WorkspaceResponse toResponse(WorkspaceRecord record) {
    Instant last = record.lastActivityAt;
    Instant seen = activity.lastActivity(record.projectId).orElse(null);
    if (seen != null && (last == null || seen.isAfter(last))) last = seen;
    return new WorkspaceResponse(
        record.projectId,
        record.status,
        record.runtime == null ? runtime.name() : record.runtime,
        record.startedAt,
        last,
        runtime.network());
  }
}
