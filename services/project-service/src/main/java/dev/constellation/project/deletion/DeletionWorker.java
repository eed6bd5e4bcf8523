package dev.constellation.project.deletion;

import dev.constellation.project.files.WorkspaceFilesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Finishes deletions: the workspace, the conversations, then the directory, then the record. Each
 * step that succeeded is remembered, a failed one is retried with growing pauses, and a replica
 * takes a deletion under a lease so that two replicas do not work on the same one.
 */
@Component
class DeletionWorker {
  private static final Logger log = LoggerFactory.getLogger(DeletionWorker.class);

  private final MongoTemplate mongo;
  private final DownstreamClient downstream;
  private final WorkspaceFilesClient files;
  private final DeletionProperties properties;
  private final Clock clock;
  private final TaskExecutor executor;
  private final AtomicBoolean running = new AtomicBoolean();

  DeletionWorker(
      MongoTemplate mongo,
      DownstreamClient downstream,
      WorkspaceFilesClient files,
      DeletionProperties properties,
      Clock clock,
      @Qualifier("applicationTaskExecutor") TaskExecutor executor) {
    this.mongo = mongo;
    this.downstream = downstream;
    this.files = files;
    this.properties = properties;
    this.clock = clock;
    this.executor = executor;
  }

  /**
   * Starts a pass now rather than at the next tick, so a deletion usually completes within the
   * request's second.
   */
  void wake() {
    executor.execute(this::runPending);
  }

  @Scheduled(
      fixedDelayString = "${constellation.deletion.interval}",
      initialDelayString = "${constellation.deletion.interval}")
  void runPending() {
    if (!running.compareAndSet(false, true)) return;
    try {
      Deletion next;
      while ((next = claimNext()) != null) {
        process(next);
      }
    } catch (RuntimeException e) {
      log.warn("deletion pass failed: {}", e.toString());
    } finally {
      running.set(false);
    }
  }

  private Deletion claimNext() {
    Instant now = clock.instant();
    return mongo.findAndModify(
        Query.query(Criteria.where("nextAttemptAt").lte(now)).with(Sort.by("nextAttemptAt")),
        new Update().set("nextAttemptAt", now.plus(properties.lease())),
        FindAndModifyOptions.options().returnNew(true),
        Deletion.class);
  }

  private void process(Deletion d) {
    String id = d.projectId();
    try {
      if (!d.workspaceDone()) {
        downstream.deleteWorkspace(id);
        d = mark(d, "workspaceDone");
      }
      if (!d.conversationsDone()) {
        downstream.deleteConversations(id);
        d = mark(d, "conversationsDone");
      }
      // workspace-service deletes the directory: it is the only one that touches WORKSPACES_ROOT.
      files.delete(id);
      mongo.remove(Query.query(Criteria.where("_id").is(id)), Deletion.class);
      log.info("project {} deleted everywhere after {} failed attempt(s)", id, d.attempts());
    } catch (Exception e) {
      int attempts = d.attempts() + 1;
      Duration wait = backoff(attempts);
      log.warn(
          "deleting project {} failed (attempt {}), retrying in {}: {}",
          id,
          attempts,
          wait,
          e.toString());
      mongo.updateFirst(
          Query.query(Criteria.where("_id").is(id)),
          new Update()
              .set("attempts", attempts)
              .set("lastError", String.valueOf(e.getMessage()))
              .set("nextAttemptAt", clock.instant().plus(wait)),
          Deletion.class);
    }
  }

  private Deletion mark(Deletion d, String step) {
    mongo.updateFirst(
        Query.query(Criteria.where("_id").is(d.projectId())),
        new Update().set(step, true),
        Deletion.class);
    return step.equals("workspaceDone")
        ? new Deletion(
            d.projectId(),
            d.requestedBy(),
            d.requestedAt(),
            true,
            d.conversationsDone(),
            d.attempts(),
            d.lastError(),
            d.nextAttemptAt())
        : new Deletion(
            d.projectId(),
            d.requestedBy(),
            d.requestedAt(),
            d.workspaceDone(),
            true,
            d.attempts(),
            d.lastError(),
            d.nextAttemptAt());
  }

  Duration backoff(int attempts) {
    Duration wait = properties.retryDelay().multipliedBy(1L << Math.min(attempts - 1, 20));
    return wait.compareTo(properties.maxRetryDelay()) > 0 ? properties.maxRetryDelay() : wait;
  }
}
