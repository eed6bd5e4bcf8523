package dev.constellation.workspace.lifecycle;

import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.events.WorkspaceEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * Stops workspaces nobody has used for workspace.idle-timeout, after warning their IDEs
 * workspace.idle-warning before (an {@code idle-warning} event; activity cancels it). Activity is
 * typing in a terminal, exec, file saves and AI requests; terminal output is not, so a forgotten
 * {@code tail -f} or dev server does not keep a workspace up for ever.
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

  IdleReaper(
      MongoTemplate mongo,
      WorkspaceRepository repository,
      WorkspaceService workspaces,
      ActivityTracker activity,
      WorkspaceProperties properties,
      Clock clock,
      ApplicationEventPublisher events,
      @Value("${workspace.idle-warning:1m}") Duration warning) {
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
   * Stops every running workspace whose last activity is older than {@code idleTimeout} at {@code
   * now}.
   */
  public List<String> reap(Instant now, Duration idleTimeout) {
    List<String> stopped = new java.util.ArrayList<>();
    for (WorkspaceRecord record : repository.findByStatusIn(List.of(WorkspaceStatus.RUNNING))) {
      Instant last = latest(record.lastActivityAt, record.startedAt);
      last = latest(last, activity.lastActivity(record.projectId).orElse(null));
      if (last == null || last.plus(idleTimeout).isBefore(now)) {
        log.info("stopping workspace {}: idle since {}", record.projectId, last);
        workspaces.stop(record.projectId);
        stopped.add(record.projectId);
        continue;
      }
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
    return stopped;
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.isAfter(b) ? a : b;
  }
}
