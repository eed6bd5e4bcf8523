package dev.constellation.workspace.files;

import dev.constellation.common.problem.ApiException;
import java.io.IOException;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Lists a project (or one of its folders) breadth first in one call. Every directory is reached
 * through {@link ProjectFiles#openFolder} again, one name at a time without following links, so
 * only one descriptor is open at any moment however wide the tree, and a directory swapped for a
 * link between the listing and its visit is skipped rather than entered.
 */
@Component
class ProjectTreeListing {
  static final int MAX_ENTRIES = 5000;
  static final int DEFAULT_ENTRIES = 2000;

  /**
   * Folders listed but never entered: dependencies, build output and tool state, which would crowd
   * out the project's own files.
   */
  static final Set<String> NOT_ENTERED =
      Set.of(
          ".git",
          "node_modules",
          "target",
          "build",
          "dist",
          ".venv",
          "venv",
          "__pycache__",
          ".idea",
          ".gradle",
          ".next");

  private final ProjectFiles files;

  ProjectTreeListing(ProjectFiles files) {
    this.files = files;
  }

  FileTree list(String projectId, String path, int maxEntries) {
    if (maxEntries < 1 || maxEntries > MAX_ENTRIES)
      throw ApiException.validation(
          "maxEntries", "maxEntries must be between 1 and " + MAX_ENTRIES + ".");
    // Checked first so that a bad, missing or linked start answers with a problem.
    try (Dir start = files.openFolder(projectId, path)) {
      List<FileTree.Entry> entries = new ArrayList<>();
      Deque<String> pending = new ArrayDeque<>();
      boolean truncated = visit(start, path, entries, pending, maxEntries);
      while (!truncated && !pending.isEmpty()) {
        String folder = pending.removeFirst();
        Dir dir;
        try {
          dir = files.openFolder(projectId, folder);
        } catch (ApiException swappedOrGone) {
          // replaced by a link or removed from inside the workspace since it was listed
          continue;
        }
        try (dir) {
          truncated = visit(dir, folder, entries, pending, maxEntries);
        }
      }
      return new FileTree(List.copyOf(entries), truncated);
    } catch (IOException e) {
      throw ProjectFiles.translate(e, path);
    }
  }

  /** Adds the entries of one directory; true when the cap was reached with entries left over. */
  private static boolean visit(
      Dir dir, String path, List<FileTree.Entry> entries, Deque<String> pending, int maxEntries)
      throws IOException {
    List<String> names = dir.names();
    names.sort(null);
    for (String name : names) {
      if (name.startsWith(ProjectFiles.TEMP_PREFIX)) continue;
      PosixFileAttributes attrs = dir.attributesOrNull(name);
      if (attrs == null) continue;
      String type;
      if (attrs.isDirectory()) type = "dir";
      else if (attrs.isRegularFile()) type = "file";
      else if (attrs.isSymbolicLink()) type = "link";
      else continue; // FIFOs, sockets and devices are nothing a caller can read
      if (entries.size() == maxEntries) return true;
      String child = path.isEmpty() ? name : path + "/" + name;
      entries.add(new FileTree.Entry(child, type, attrs.isRegularFile() ? attrs.size() : 0));
      if (attrs.isDirectory() && !NOT_ENTERED.contains(name)) pending.addLast(child);
    }
    return false;
  }
}
