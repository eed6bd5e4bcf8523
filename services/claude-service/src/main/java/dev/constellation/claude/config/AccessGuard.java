package dev.constellation.claude.config;

import dev.constellation.common.access.ProjectAccessClient;
import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.access.ProjectRole;
import dev.constellation.common.auth.AuthenticatedUser;
import org.springframework.stereotype.Component;

/** Asks project-service, the one authority, whether the caller may do something in a project. */
@Component
public class AccessGuard {
  private final ProjectAccessClient access;

  AccessGuard(ProjectAccessClient access) {
    this.access = access;
  }

  public ProjectRole require(AuthenticatedUser user, String projectId, ProjectAction action) {
    return access.require(user, projectId, action);
  }
}
