package dev.constellation.workspace.lifecycle;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.access.ProjectGuard;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/projects/{projectId}/workspace")
class WorkspaceController {
  private final WorkspaceService workspaces;
  private final ProjectGuard guard;
  private final LocalRuntimePolicy localPolicy;

  WorkspaceController(
      WorkspaceService workspaces, ProjectGuard guard, LocalRuntimePolicy localPolicy) {
    this.workspaces = workspaces;
    this.guard = guard;
    this.localPolicy = localPolicy;
  }

  @GetMapping
  WorkspaceResponse status(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.READ);
    return workspaces.status(projectId);
  }

  @PostMapping("/start")
  WorkspaceResponse start(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    localPolicy.check(user);
    return workspaces.start(projectId);
  }

  @PostMapping("/stop")
  WorkspaceResponse stop(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    return workspaces.stop(projectId);
  }

  /**
   * Freezes the workspace now (as the idle reaper does after workspace.pause.after): it keeps its
   * terminals and servers, and the next command, terminal or editor resumes it in milliseconds.
   */
  @PostMapping("/pause")
  WorkspaceResponse pause(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    return workspaces.pause(projectId);
  }

  @PostMapping("/restart")
  WorkspaceResponse restart(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    localPolicy.check(user);
    return workspaces.restart(projectId);
  }
}
