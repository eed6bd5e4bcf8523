package dev.constellation.workspace.lifecycle;

import dev.constellation.workspace.config.WorkspaceProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Stops workspaces nobody has used for workspace.idle-timeout. */
@Component
public class IdleReaper {
  private static final Logger log = LoggerFactory.getLogger(IdleReaper.class);

  private final WorkspaceRepository repository;
  private final WorkspaceService workspaces;
  private final ActivityTracker activity;
  private final Duration idleTimeout;
  private final Clock clock;
  private final MongoTemplate mongo;

  IdleReaper(
      MongoTemplate mongo,
      WorkspaceRepository repository,
      WorkspaceService workspaces,
      ActivityTracker activity,
      WorkspaceProperties properties,
      Clock clock) {
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
      } else if (record.lastActivityAt == null || last.isAfter(record.lastActivityAt)) {
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
