package dev.constellation.workspace.lifecycle;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.workspace.config.PauseProperties;
import dev.constellation.workspace.config.ProjectDirectories;
import dev.constellation.workspace.events.WorkspaceEvent;
import dev.constellation.workspace.runtime.ResourceUsage;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Starts, pauses, resumes and stops workspaces. A paused workspace is resumed by {@link #start}
 * (and so by {@link #ensureRunning}) or, on paths that must not start a stopped one, by {@link
 * #resumeIfPaused}. Within one replica a per-project lock orders racing requests; across replicas
 * the runtime's own uniqueness (the container name) does, and MongoDB holds the outcome.
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
  private final PausedProjects paused;
  private final PauseProperties pause;
  private final Counter pauses;
  private final Counter resumes;
  private final Timer resumeDuration;

  WorkspaceService(
      WorkspaceRuntime runtime,
      WorkspaceRepository repository,
      ProjectDirectories directories,
      ActivityTracker activity,
      ApplicationEventPublisher events,
      WorkspaceSettingsService settings,
      Clock clock,
      MeterRegistry meters,
      PausedProjects paused,
      PauseProperties pause) {
    this.paused = paused;
    this.pause = pause;
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
    this.pauses =
        Counter.builder("workspace.pauses").description("Workspaces paused").register(meters);
    this.resumes =
        Counter.builder("workspace.resumes")
            .description("Paused workspaces resumed")
            .register(meters);
    this.resumeDuration =
        Timer.builder("workspace.resume.duration")
            .description("Time to bring a paused workspace back to RUNNING")
            .publishPercentileHistogram()
            .register(meters);
    Gauge.builder("workspace.paused", repository, r -> r.countByStatus(WorkspaceStatus.PAUSED))
        .description("Workspaces paused")
        .register(meters);
    Gauge.builder("workspace.paused.memory", this, WorkspaceService::pausedMemoryBytes)
        .description("Memory held by paused workspaces, in bytes")
        .baseUnit("bytes")
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
    if (isUp(record.status) && !runtime.isRunning(projectId)) {
      ReentrantLock lock = lockFor(projectId);
      lock.lock();
      try {
        record = repository.findById(projectId).orElse(record);
        if (isUp(record.status) && !runtime.isRunning(projectId)) {
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
    paused.note(projectId, record.status);
    return toResponse(record);
  }

  /** RUNNING, or PAUSED (a frozen container is still a running one to the runtime). */
  private static boolean isUp(WorkspaceStatus status) {
    return status == WorkspaceStatus.RUNNING || status == WorkspaceStatus.PAUSED;
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
      if (record.status == WorkspaceStatus.PAUSED && resumeLocked(record))
        return toResponse(record);
      record.status = WorkspaceStatus.STARTING;
      record.runtime = runtime.name();
      record.failure = null;
      save(record);
      // "creating" first when the runtime finds it has to create the container (found on its way:
      // no lookup of its own), then "starting" for the container's start.
      Timer.Sample sample = Timer.start();
      try {
        runtime.start(
            projectId,
            directories.of(projectId),
            settings.spec(record),
            phase -> publish(projectId, WorkspaceStatus.STARTING, phase, null));
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

  /**
   * Thaws a paused workspace (under the project's lock): true when it runs again; false when its
   * container is gone or stopped meanwhile, and the caller starts it as a stopped one.
   */
  private boolean resumeLocked(WorkspaceRecord record) {
    String projectId = record.projectId;
    publish(projectId, WorkspaceStatus.STARTING, "resuming", null);
    Timer.Sample sample = Timer.start();
    try {
      runtime.unpause(projectId);
    } catch (WorkspaceRuntime.RuntimeUnavailableException e) {
      log.info("workspace {} could not be resumed ({}): starting it", projectId, e.getMessage());
      record.pausedAt = null;
      record.pausedMemoryBytes = null;
      return false;
    }
    sample.stop(resumeDuration);
    resumes.increment();
    Instant now = clock.instant();
    record.status = WorkspaceStatus.RUNNING;
    record.pausedAt = null;
    record.pausedMemoryBytes = null;
    record.lastActivityAt = now;
    save(record);
    paused.note(projectId, WorkspaceStatus.RUNNING);
    activity.touch(projectId);
    publish(projectId, WorkspaceStatus.RUNNING, "ready", null);
    log.info("workspace {} resumed", projectId);
    return true;
  }

  /**
   * Resumes the workspace when this replica knows it paused; does nothing (no lookup) otherwise.
   * For paths that must never start a stopped workspace but should thaw a paused one: an open
   * terminal's keystroke, a preview request, a search.
   */
  public void resumeIfPaused(String projectId) {
    if (!paused.contains(projectId)) return;
    // Whatever start finds is the truth: a stale entry is dropped, never asked about again.
    paused.note(projectId, start(projectId).status());
  }

  /** Whether this replica knows the workspace to be paused (in memory, no lookup). */
  public boolean isPaused(String projectId) {
    return paused.contains(projectId);
  }

  /**
   * The workspace's status, after resuming it when it was paused: for the sockets and requests that
   * never start a stopped workspace (a terminal, a language server) but do thaw a paused one. For a
   * workspace in any other state this is {@link #status}.
   */
  public WorkspaceResponse statusResumingPaused(String projectId) {
    WorkspaceResponse now = status(projectId);
    return now.status() == WorkspaceStatus.PAUSED ? start(projectId) : now;
  }

  /**
   * Pauses the running workspace now (the idle reaper does it after workspace.pause.after); then
   * stops the longest-paused ones if paused workspaces hold more than workspace.pause.max-memory.
   */
  public WorkspaceResponse pause(String projectId) {
    if (!runtime.canPause())
      throw new ApiException(
          HttpStatus.CONFLICT,
          "pause-unsupported",
          "Pause unsupported",
          "The " + runtime.name() + " runtime cannot pause workspaces; stop it instead.");
    // Measured before the lock: the engine's stats take about a second.
    long memory = runtime.usage(projectId).map(ResourceUsage::memoryBytes).orElse(0L);
    WorkspaceRecord record = pauseIfRunning(projectId, memory, null);
    if (record == null)
      throw new ApiException(
          ProblemType.WORKSPACE_STOPPED,
          "The workspace is not running; only a running workspace can be paused.");
    enforcePausedMemory(pause.maxMemory().toBytes());
    return status(projectId);
  }

  /**
   * Pauses the workspace if it still runs (and, when {@code idleSince} is given, saw no activity
   * after it); the paused record, or null when it was not running.
   */
  WorkspaceRecord pauseIfRunning(String projectId, long memoryBytes, Instant idleSince) {
    ReentrantLock lock = lockFor(projectId);
    lock.lock();
    try {
      WorkspaceRecord record = repository.findById(projectId).orElse(null);
      if (record == null) return null;
      if (record.status == WorkspaceStatus.PAUSED) return record;
      if (record.status != WorkspaceStatus.RUNNING || !runtime.isRunning(projectId)) return null;
      if (idleSince != null) {
        Instant seen = activity.lastActivity(projectId).orElse(null);
        if (seen != null && seen.isAfter(idleSince)) return null;
      }
      runtime.pause(projectId);
      record.status = WorkspaceStatus.PAUSED;
      record.pausedAt = clock.instant();
      record.pausedMemoryBytes = memoryBytes;
      save(record);
      paused.note(projectId, WorkspaceStatus.PAUSED);
      activity.clearWarning(projectId);
      publish(projectId, WorkspaceStatus.PAUSED, "paused", null);
      pauses.increment();
      log.info("workspace {} paused ({} bytes of memory held)", projectId, memoryBytes);
      return record;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the longest-paused workspaces (files kept) until the paused ones together hold at most
   * {@code maxBytes}; returns the projects stopped.
   */
  public List<String> enforcePausedMemory(long maxBytes) {
    List<WorkspaceRecord> frozen =
        new ArrayList<>(repository.findByStatusIn(List.of(WorkspaceStatus.PAUSED)));
    long total = frozen.stream().mapToLong(WorkspaceService::memoryOf).sum();
    List<String> stopped = new ArrayList<>();
    if (total <= maxBytes) return stopped;
    frozen.sort(
        Comparator.comparing(
            (WorkspaceRecord r) -> r.pausedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    for (WorkspaceRecord record : frozen) {
      if (total <= maxBytes) break;
      long held = memoryOf(record);
      log.info(
          "stopping paused workspace {}: paused workspaces hold {} bytes, more than {}",
          record.projectId,
          total,
          maxBytes);
      stop(record.projectId);
      total -= held;
      stopped.add(record.projectId);
    }
    return stopped;
  }

  private static long memoryOf(WorkspaceRecord record) {
    return record.pausedMemoryBytes == null ? 0 : record.pausedMemoryBytes;
  }

  private double pausedMemoryBytes() {
    return repository.findByStatusIn(List.of(WorkspaceStatus.PAUSED)).stream()
        .mapToLong(WorkspaceService::memoryOf)
        .sum();
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
      record.pausedAt = null;
      record.pausedMemoryBytes = null;
      save(record);
      paused.note(projectId, WorkspaceStatus.STOPPED);
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
      paused.note(projectId, WorkspaceStatus.STOPPED);
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
