package dev.constellation.workspace.lifecycle;

import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Makes MongoDB and the runtime agree after this service (re)starts: running labelled workspaces
 * are adopted, records whose workspace vanished become STOPPED, and workspaces of projects we have
 * no record of (orphans of a crash or a deleted project) are removed.
 */
@Component
public class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  /** What one reconciliation did, by project id. */
  public record Outcome(
      Set<String> adopted, Set<String> markedStopped, Set<String> removedOrphans) {}

  private final WorkspaceRuntime runtime;
  private final MongoTemplate mongo;
  private final Clock clock;

  public Reconciler(WorkspaceRuntime runtime, MongoTemplate mongo, Clock clock) {
    this.runtime = runtime;
    this.mongo = mongo;
    this.clock = clock;
  }

  @EventListener(ApplicationReadyEvent.class)
  void onStartup() {
    try {
      Outcome outcome = reconcile();
      log.info(
          "reconciled workspaces: adopted {}, marked stopped {}, removed orphans {}",
          outcome.adopted().size(),
          outcome.markedStopped().size(),
          outcome.removedOrphans().size());
    } catch (RuntimeException e) {
      log.error("could not reconcile workspaces at startup: {}", e.toString());
    }
  }

  public Outcome reconcile() {
    Map<String, Boolean> actual = runtime.managedWorkspaces();
    Set<String> adopted = new HashSet<>();
    Set<String> stopped = new HashSet<>();
    Set<String> orphans = new HashSet<>();
    Set<String> known = new HashSet<>();
    for (WorkspaceRecord record : mongo.findAll(WorkspaceRecord.class)) {
      known.add(record.projectId);
      boolean running = Boolean.TRUE.equals(actual.get(record.projectId));
      if (running && record.status != WorkspaceStatus.RUNNING) {
        record.status = WorkspaceStatus.RUNNING;
        record.runtime = runtime.name();
        if (record.startedAt == null) record.startedAt = clock.instant();
        record.lastActivityAt = clock.instant();
        record.updatedAt = clock.instant();
        mongo.save(record);
        adopted.add(record.projectId);
      } else if (running) {
        adopted.add(record.projectId);
      } else if (List.of(
                  WorkspaceStatus.RUNNING, WorkspaceStatus.STARTING, WorkspaceStatus.STOPPING)
              .contains(record.status)
          // A paused container is not a running one here, but it is still there to resume.
          || (record.status == WorkspaceStatus.PAUSED && !actual.containsKey(record.projectId))) {
        record.status = WorkspaceStatus.STOPPED;
        record.updatedAt = clock.instant();
        mongo.save(record);
        stopped.add(record.projectId);
      }
    }
    for (String projectId : actual.keySet()) {
      if (!known.contains(projectId)) {
        log.info("removing orphan workspace of project {}", projectId);
        runtime.remove(projectId);
        orphans.add(projectId);
      }
    }
    return new Outcome(adopted, stopped, orphans);
  }
}
