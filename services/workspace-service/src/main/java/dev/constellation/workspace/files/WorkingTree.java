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

  /**
   * Deletes a file (or whatever now stands at {@code path}: a link is removed itself, never its
   * target) like {@code DELETE /files}. Answers false when nothing was there.
   */
  public boolean deleteIfExists(String projectId, String path) {
    try {
      files.delete(projectId, path);
      return true;
    } catch (ApiException e) {
      if (e.status() == HttpStatus.NOT_FOUND) return false;
      throw e;
    }
  }

  /**
   * Removes the folder {@code path} if it is a folder (not a link) and holds nothing; answers
   * whether it did. A folder something was written into meanwhile stays.
   */
  public boolean removeFolderIfEmpty(String projectId, String path) {
    return files.removeFolderIfEmpty(projectId, path);
  }

  /**
   * Removes the first symbolic link on the way to {@code path} (a parent or the name itself), the
   * link and never its target, so that a file can be written there again. Answers whether there was
   * one.
   */
  public boolean unlinkFirstLink(String projectId, String path) {
    return files.unlinkFirstLink(projectId, path);
  }

  /** The largest file the files API reads or writes; bigger ones are not ours to copy. */
  public long maxFileBytes() {
    return files.maxFileBytes();
  }

  /** Whether the editor would treat these bytes as binary (a NUL or invalid UTF-8 early on). */
  public static boolean looksBinary(byte[] bytes) {
    return FileKind.looksBinary(bytes);
  }

  /** Checks a project-relative path by the files API's lexical rules; throws a 400 otherwise. */
  public static void requireValidPath(String path) {
    FilePaths.parse(path, false);
  }
}
