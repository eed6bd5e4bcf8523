package dev.constellation.project.project;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.access.ProjectRole;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.project.PageResponse;
import dev.constellation.project.Paging;
import dev.constellation.project.files.WorkspaceFilesClient;
import dev.constellation.project.template.TemplateCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.bson.types.ObjectId;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;

/**
 * Project metadata and the access rules every endpoint of this service and of the others goes
 * through.
 */
@Service
public class ProjectService {
  public static final int MAX_NAME = 100;
  public static final int MAX_DESCRIPTION = 2000;
  private static final Set<String> SORTABLE =
      Set.of("name", "createdAt", "updatedAt", "lastOpenedAt");
  private static final int MAX_CONFLICT_RETRIES = 5;

  private final ProjectRepository projects;
  private final TemplateCatalog templates;
  private final WorkspaceFilesClient files;
  private final AuditPublisher audit;
  private final Clock clock;

  ProjectService(
      ProjectRepository projects,
      TemplateCatalog templates,
      WorkspaceFilesClient files,
      AuditPublisher audit,
      Clock clock) {
    this.projects = projects;
    this.templates = templates;
    this.files = files;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * The project if the caller's role allows {@code action}. A non-member gets 404, exactly as if
   * the project did not exist; a member whose role is too weak gets 403.
   */
  public Project require(AuthenticatedUser user, String projectId, ProjectAction action) {
    Project project = projects.findById(projectId).orElse(null);
    ProjectRole role = project == null ? null : project.roleOf(user.id());
    if (role == null) {
      throw ApiException.notFound("No project " + projectId + " visible to you.");
    }
    if (!role.allows(action)) {
      throw ApiException.forbidden(
          "Your role "
              + role
              + " in this project does not allow this; it needs "
              + action.minimumRole()
              + ".");
    }
    return project;
  }

  /**
   * A user's role in a project, or null when the user is not a member or there is no such project.
   */
  public ProjectRole roleOf(String userId, String projectId) {
    return projects.findById(projectId).map(p -> p.roleOf(userId)).orElse(null);
  }

  Project create(AuthenticatedUser user, CreateProjectRequest request) {
    String id = newProjectId();
    byte[] zip;
    try {
      zip = templates.zipOf(request.templateId());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Project project =
        register(
            user,
            id,
            request.name(),
            request.description(),
            request.templateId(),
            () -> files.createFrom(id, () -> new ByteArrayInputStream(zip), zip.length, true));
    audit.publish(
        "project.create",
        user.id(),
        id,
        Map.of("name", project.name(), "templateId", request.templateId()));
    return project;
  }

  /**
   * Has workspace-service create the new project's files ({@code createFiles}: all or nothing
   * there), then stores the metadata of the project, owned by the caller. Used by create and by
   * import.
   */
  public Project register(
      AuthenticatedUser user,
      String id,
      String name,
      String description,
      String templateId,
      Runnable createFiles) {
    Instant now = now();
    Project project =
        new Project(
            id,
            name,
            description == null ? "" : description,
            templateId,
            user.id(),
            List.of(new Member(user.id(), ProjectRole.OWNER)),
            now,
            now,
            null,
            0);
    createFiles.run();
    try {
      projects.insert(project);
    } catch (RuntimeException e) {
      files.delete(id);
      throw e;
    }
    return project;
  }

  public static String newProjectId() {
    return new ObjectId().toHexString();
  }

  Project open(AuthenticatedUser user, String projectId) {
    Project project = require(user, projectId, ProjectAction.READ);
    Instant now = now();
    projects.touchOpened(projectId, now);
    return new Project(
        project.id(),
        project.name(),
        project.description(),
        project.templateId(),
        project.ownerId(),
        project.members(),
        project.createdAt(),
        project.updatedAt(),
        now,
        project.version());
  }

  PageResponse<Project> list(AuthenticatedUser user, String q, Paging paging, String sort) {
    var found = projects.findVisible(user.id(), q, parseSort(sort), paging.offset(), paging.size());
    return new PageResponse<>(found.items(), paging.page(), paging.size(), found.total());
  }

  Project update(AuthenticatedUser user, String projectId, UpdateProjectRequest request) {
    return change(
        user,
        projectId,
        ProjectAction.WRITE,
        p ->
            p.withDetails(
                request.name() == null ? p.name() : request.name(),
                request.description() == null ? p.description() : request.description(),
                now()));
  }

  /**
   * Applies {@code edit} to the current project, retrying when someone else changed it in between,
   * so that every rule {@code edit} checks holds against the state actually stored.
   */
  public Project change(
      AuthenticatedUser user, String projectId, ProjectAction action, UnaryOperator<Project> edit) {
    for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      Project current = require(user, projectId, action);
      Project changed = edit.apply(current);
      if (changed == current) return current;
      if (projects.replaceIfUnchanged(changed, current.version())) {
        return new Project(
            changed.id(),
            changed.name(),
            changed.description(),
            changed.templateId(),
            changed.ownerId(),
            changed.members(),
            changed.createdAt(),
            changed.updatedAt(),
            changed.lastOpenedAt(),
            current.version() + 1);
      }
    }
    throw ApiException.conflict(
        "The project is being changed by someone else right now; try again.");
  }

  /**
   * Millisecond precision: what MongoDB keeps, so a response never shows a time that a later read
   * contradicts.
   */
  public Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  static Sort parseSort(String sort) {
    if (sort == null || sort.isBlank())
      return Sort.by(Sort.Direction.DESC, "updatedAt").and(Sort.by("_id"));
    String[] parts = sort.split(",", -1);
    String field = parts[0].strip();
    if (!SORTABLE.contains(field) || parts.length > 2) {
      throw ApiException.validation(
          "sort",
          "sort must be one of "
              + new java.util.TreeSet<>(SORTABLE)
              + ", optionally followed by ,asc or ,desc.");
    }
    Sort.Direction direction = Sort.Direction.ASC;
    if (parts.length == 2) {
      switch (parts[1].strip().toLowerCase(java.util.Locale.ROOT)) {
        case "asc" -> direction = Sort.Direction.ASC;
        case "desc" -> direction = Sort.Direction.DESC;
        default -> throw ApiException.validation("sort", "The sort direction must be asc or desc.");
      }
    }
    // The id breaks ties so that paging through equal names neither repeats nor skips a project.
    return Sort.by(direction, field).and(Sort.by(direction, "_id"));
  }
}
