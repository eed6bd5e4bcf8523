package dev.constellation.workspace.lifecycle;

import dev.constellation.workspace.config.PauseProperties;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.events.WorkspaceEvent;
import dev.constellation.workspace.runtime.ResourceUsage;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Pauses workspaces nobody has used for workspace.pause.after (unless they are busy: a build or a
 * test run uses CPU), and stops those, paused or not, nobody has used for workspace.idle-timeout,
 * warning a running one's IDEs workspace.idle-warning before (an {@code idle-warning} event;
 * activity cancels it). Activity is typing in a terminal, exec, file saves and AI requests;
 * terminal output is not, so a forgotten {@code tail -f} or dev server does not keep a workspace up
 * for ever. After each round, paused workspaces are held to workspace.pause.max-memory.
 */
@Component
public class IdleReaper {
  private static final Logger log = LoggerFactory.getLogger(IdleReaper.class);

  private final WorkspaceRepository repository;
  private final WorkspaceService workspaces;
  private final ActivityTracker activity;
  private final Duration idleTimeout;
  private final Clock clock;
  private final MongoTemplate mongo;
  private final ApplicationEventPublisher events;
  private final Duration warning;
  private final WorkspaceRuntime runtime;
  private final PauseProperties pause;

  /** The CPU time each pause candidate had used at the last check, to tell a busy one. */
  private final Map<String, CpuSample> cpu = new ConcurrentHashMap<>();

  private record CpuSample(Instant at, long nanos) {}

  IdleReaper(
      MongoTemplate mongo,
      WorkspaceRepository repository,
      WorkspaceService workspaces,
      ActivityTracker activity,
      WorkspaceProperties properties,
      Clock clock,
      ApplicationEventPublisher events,
      @Value("${workspace.idle-warning:1m}") Duration warning,
      WorkspaceRuntime runtime,
      PauseProperties pause) {
    this.runtime = runtime;
    this.pause = pause;
    this.events = events;
    this.warning = warning;
    this.mongo = mongo;
    this.repository = repository;
    this.workspaces = workspaces;
    this.activity = activity;
    this.idleTimeout = properties.idleTimeout();
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${workspace.idle-check-interval:30s}",
      initialDelayString = "${workspace.idle-check-interval:30s}")
  void scheduled() {
    try {
      reap(clock.instant(), idleTimeout);
    } catch (RuntimeException e) {
      log.warn("idle check failed: {}", e.toString());
    }
  }

  /**
   * Stops every running or paused workspace whose last activity is older than {@code idleTimeout}
   * at {@code now}, and pauses running ones idle for workspace.pause.after that are not busy.
   */
  public List<String> reap(Instant now, Duration idleTimeout) {
    List<String> stopped = new java.util.ArrayList<>();
    Map<String, Instant> toPause = new java.util.LinkedHashMap<>();
    boolean pausing = runtime.canPause() && pause.after().compareTo(idleTimeout) < 0;
    for (WorkspaceRecord record :
        repository.findByStatusIn(List.of(WorkspaceStatus.RUNNING, WorkspaceStatus.PAUSED))) {
      Instant last = latest(record.lastActivityAt, record.startedAt);
      last = latest(last, activity.lastActivity(record.projectId).orElse(null));
      if (last == null || last.plus(idleTimeout).isBefore(now)) {
        log.info("stopping workspace {}: idle since {}", record.projectId, last);
        workspaces.stop(record.projectId);
        stopped.add(record.projectId);
        cpu.remove(record.projectId);
        continue;
      }
      if (record.status == WorkspaceStatus.PAUSED) continue;
      if (pausing && last.plus(pause.after()).isBefore(now)) toPause.put(record.projectId, last);
      else cpu.remove(record.projectId);
      Instant stopsAt = last.plus(idleTimeout);
      if (!stopsAt.isAfter(now.plus(warning))) {
        // Within the warning: the IDEs say so, once per announced time.
        if (activity.markWarned(record.projectId, stopsAt))
          events.publishEvent(
              new WorkspaceEvent(
                  record.projectId, "idle-warning", Map.of("stopsAt", stopsAt.toString())));
      } else if (activity.clearWarning(record.projectId)) {
        // Activity another replica heard of moved the stop away.
        events.publishEvent(
            StatusEvents.of(
                record.projectId, WorkspaceStatus.RUNNING, "ready", null, record.runtime));
      }
      if (record.lastActivityAt == null || last.isAfter(record.lastActivityAt)) {
        // Only this field: a full save could undo a stop that happened meanwhile.
        mongo.updateFirst(
            Query.query(Criteria.where("_id").is(record.projectId)),
            Update.update("lastActivityAt", last),
            WorkspaceRecord.class);
      }
    }
    toPause.forEach((projectId, last) -> pauseUnlessBusy(projectId, last, now));
    if (runtime.canPause())
      stopped.addAll(workspaces.enforcePausedMemory(pause.maxMemory().toBytes()));
    return stopped;
  }

  /** Pauses an idle workspace unless it used more than busy-cpus cores since the last check. */
  private void pauseUnlessBusy(String projectId, Instant idleSince, Instant now) {
    Optional<ResourceUsage> usage = runtime.usage(projectId);
    if (usage.isEmpty()) {
      // Without a reading its memory cannot be accounted for: leave it to the idle stop.
      log.debug("not pausing workspace {}: no stats", projectId);
      return;
    }
    CpuSample previous = cpu.put(projectId, new CpuSample(now, usage.get().cpuNanos()));
    double cores = usage.get().recentCpus();
    if (previous != null
        && now.isAfter(previous.at())
        && usage.get().cpuNanos() >= previous.nanos()) {
      cores =
          (usage.get().cpuNanos() - previous.nanos())
              / (double) Duration.between(previous.at(), now).toNanos();
    }
    if (cores > pause.busyCpus()) {
      log.debug("not pausing workspace {}: busy ({} cores)", projectId, cores);
      return;
    }
    try {
      if (workspaces.pauseIfRunning(projectId, usage.get().memoryBytes(), idleSince) != null)
        cpu.remove(projectId);
    } catch (RuntimeException e) {
      log.warn("could not pause workspace {}: {}", projectId, e.toString());
    }
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.isAfter(b) ? a : b;
  }
}
