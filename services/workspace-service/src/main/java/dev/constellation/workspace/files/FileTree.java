package dev.constellation.workspace.files;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A project's files in one answer, breadth first, for callers that need the whole shape at once
 * (the agent's prompt) rather than one folder at a time.
 *
 * @param entries every entry found, each folder's entries in name order, shallower folders first
 * @param truncated more entries exist than were asked for
 */
public record FileTree(List<Entry> entries, boolean truncated) {

  /**
   * One name in the tree.
   *
   * @param path relative to the project root
   * @param type {@code link} for a symbolic link, which is listed but never followed
   * @param size bytes of a regular file; 0 otherwise
   */
  public record Entry(
      String path, @Schema(allowableValues = {"file", "dir", "link"}) String type, long size) {}
}
