package dev.constellation.project.access;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.access.ProjectRole;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.common.servlet.ServiceOnly;
import dev.constellation.project.project.Project;
import dev.constellation.project.project.ProjectService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The one authority the other services ask (through libs/common ProjectAccessClient). */
@RestController
class AccessController {
  record AccessResponse(String projectId, String userId, ProjectRole role) {}

  private final ProjectService projects;

  AccessController(ProjectService projects) {
    this.projects = projects;
  }

  /** The caller's own role, for clients. */
  @GetMapping("/api/projects/{id}/access")
  AccessResponse access(@CurrentUser AuthenticatedUser user, @PathVariable String id) {
    Project project = projects.require(user, id, ProjectAction.READ);
    return new AccessResponse(project.id(), user.id(), project.roleOf(user.id()));
  }

  /**
   * A user's role, for services that have verified that user's token themselves: they ask with
   * their own service token, so that no service ever needs (or mints) a token of the user's. {@code
   * role} is null for a non-member or a project that does not exist.
   */
  @ServiceOnly
  @GetMapping("/internal/projects/{id}/access")
  AccessResponse accessOf(@PathVariable String id, @RequestParam String userId) {
    return new AccessResponse(id, userId, projects.roleOf(userId, id));
  }
}
