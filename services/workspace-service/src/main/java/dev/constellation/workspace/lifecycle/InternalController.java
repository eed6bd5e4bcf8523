package dev.constellation.workspace.lifecycle;

import dev.constellation.common.servlet.ServiceOnly;
import dev.constellation.workspace.config.ProjectDirectories;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Calls from other services; the shared JWT filter admits only service tokens to /internal/**, and
 * {@code @ServiceOnly} makes the handler check that again.
 */
@RestController
@ServiceOnly
class InternalController {
  private final WorkspaceService workspaces;

  InternalController(WorkspaceService workspaces) {
    this.workspaces = workspaces;
  }

  /**
   * project-service deletes a project: drop its workspace and state; the files follow through
   * files.InternalFilesController.
   */
  @DeleteMapping("/internal/projects/{projectId}")
  ResponseEntity<Void> delete(@PathVariable String projectId) {
    ProjectDirectories.requireValidId(projectId);
    workspaces.delete(projectId);
    return ResponseEntity.noContent().build();
  }
}
