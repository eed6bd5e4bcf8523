package dev.constellation.workspace.access;

import dev.constellation.common.access.ProjectAccessClient;
import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.access.ProjectRole;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.workspace.config.ProjectDirectories;
import org.springframework.stereotype.Component;

/**
 * Asks project-service, the one authority, whether the caller (resolved by {@code @CurrentUser})
 * may do {@code action} on a project.
 */
@Component
public class ProjectGuard {
  private final ProjectAccessClient access;

  ProjectGuard(ProjectAccessClient access) {
    this.access = access;
  }

  public ProjectRole require(AuthenticatedUser user, String projectId, ProjectAction action) {
    ProjectDirectories.requireValidId(projectId);
    return access.require(user, projectId, action);
  }
}
