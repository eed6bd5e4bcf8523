package dev.constellation.workspace.config;

import dev.constellation.common.project.ProjectIds;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * Where a project's files live on the host: {@code <workspace.root>/<projectId>}. The path is for
 * handing to a runtime (the bind mount); the files themselves are touched only through {@code
 * files.ProjectTree}, which never follows a link.
 */
@Component
public class ProjectDirectories {
  private final Path root;

  public ProjectDirectories(WorkspaceProperties properties) {
    this.root = properties.root().toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** The project's directory; an id that could not be a project is "not found". */
  public Path of(String projectId) {
    requireValidId(projectId);
    return root.resolve(projectId);
  }

  public static void requireValidId(String projectId) {
    ProjectIds.requireValid(projectId);
  }
}
