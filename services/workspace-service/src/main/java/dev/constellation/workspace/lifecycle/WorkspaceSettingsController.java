package dev.constellation.workspace.lifecycle;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.access.ProjectGuard;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A project's workspace resources: members read them, owners change them. */
@RestController
@RequestMapping("/api/projects/{projectId}/workspace/settings")
class WorkspaceSettingsController {
  private final WorkspaceSettingsService settings;
  private final WorkspaceService workspaces;
  private final ProjectGuard guard;

  WorkspaceSettingsController(
      WorkspaceSettingsService settings, WorkspaceService workspaces, ProjectGuard guard) {
    this.settings = settings;
    this.workspaces = workspaces;
    this.guard = guard;
  }

  @GetMapping
  WorkspaceSettings get(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.READ);
    return settings.get(projectId);
  }

  /** Applied when the workspace is next started (a running one keeps its limits until then). */
  @PutMapping
  WorkspaceSettings put(
      @PathVariable String projectId,
      @RequestBody WorkspaceSettings.Change change,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.OWN);
    return settings.update(projectId, change, workspaces.runtimeName());
  }
}
