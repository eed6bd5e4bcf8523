package dev.constellation.workspace.files;

import dev.constellation.common.problem.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * What other features (source control) may read of a project's files, with the same no-follow and
 * size rules as the files API.
 */
@Component
public class WorkingTree {
  private final ProjectFiles files;

  WorkingTree(ProjectFiles files) {
    this.files = files;
  }

  /** The file's bytes, or null when there is no such file (deleted in the working tree). */
  public byte @Nullable [] readIfExists(String projectId, String path) {
    try {
      return files.read(projectId, path).bytes();
    } catch (ApiException e) {
      if (e.status() == HttpStatus.NOT_FOUND) return null;
      throw e;
    }
  }

  /** Whether the project's directory holds nothing (a clone target). */
  public boolean isEmpty(String projectId) {
    return files.list(projectId, "").isEmpty();
  }

  /** Checks a project-relative path by the files API's lexical rules; throws a 400 otherwise. */
  public static void requireValidPath(String path) {
    FilePaths.parse(path, false);
  }
}
