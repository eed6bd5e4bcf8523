package dev.constellation.project.deletion;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.project.access.AccessChanges;
import dev.constellation.project.project.Project;
import dev.constellation.project.project.ProjectRepository;
import dev.constellation.project.project.ProjectService;
import java.time.Instant;
import java.util.Map;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Service;

@Service
class DeletionService {
  private final ProjectService projects;
  private final ProjectRepository repository;
  private final MongoTemplate mongo;
  private final AccessChanges accessChanges;
  private final AuditPublisher audit;
  private final DeletionWorker worker;

  DeletionService(
      ProjectService projects,
      ProjectRepository repository,
      MongoTemplate mongo,
      AccessChanges accessChanges,
      AuditPublisher audit,
      DeletionWorker worker) {
    this.projects = projects;
    this.repository = repository;
    this.mongo = mongo;
    this.accessChanges = accessChanges;
    this.audit = audit;
    this.worker = worker;
  }

  /**
   * The record comes first and the metadata goes second: if the process dies in between, the worker
   * still finishes the job; the other order could leave files and containers nobody owns.
   */
  void delete(AuthenticatedUser user, String projectId) {
    Project project = projects.require(user, projectId, ProjectAction.OWN);
    Instant now = projects.now();
    mongo.save(new Deletion(project.id(), user.id(), now, false, false, 0, null, now));
    repository.delete(project.id());
    accessChanges.announce(project.id());
    audit.publish("project.delete", user.id(), project.id(), Map.of("name", project.name()));
    worker.wake();
  }
}
