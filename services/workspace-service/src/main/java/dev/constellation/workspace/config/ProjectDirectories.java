package dev.constellation.workspace.config;

import dev.constellation.common.problem.ApiException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** Where a project's files live on the host: {@code <workspace.root>/<projectId>}. */
@Component
public class ProjectDirectories {
  // Project ids become directory and container names, so only this safe alphabet is accepted.
  private static final Pattern PROJECT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

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
    if (projectId == null || !PROJECT_ID.matcher(projectId).matches()) {
      throw ApiException.notFound("No project with this id.");
    }
  }
}
