package dev.constellation.workspace.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * A read-only walk of a project's files for features that look at every file (find in files). It
 * goes through {@link Dir} like every other access: one name at a time, relative to the parent's
 * descriptor, links never followed (a link, FIFO or device is skipped, whatever it points at), so a
 * link to {@code /etc} or a link loop inside the project is never entered.
 */
@Component
public class ProjectWalker {
  /** Deeper than any real project; a bound keeps the number of open descriptors bounded. */
  static final int MAX_DEPTH = 128;

  /** What the walk asks the feature on its way; paths are relative to the project root. */
  public interface Visitor {
    /**
     * Whether to look at the entries of directory {@code path} ("" for the root); {@code gitignore}
     * is the content of its {@code .gitignore} (at most 1 MB), or null.
     */
    boolean enter(String path, byte @Nullable [] gitignore);

    /** The walk leaves a directory it entered. */
    void leave(String path);

    /** Whether to read the regular file {@code path} of {@code size} bytes. */
    boolean wantsFile(String path, long size);

    /** The content of a file it wanted; false stops the whole walk. */
    boolean file(String path, byte[] content);

    /** Checked before every entry: true stops the walk (a deadline, a cap). */
    boolean stopped();

    /**
     * A name that is neither a regular file nor a folder (a link, FIFO, socket or device): passed
     * over, never opened or followed. Features that must account for every name (checkpoints) hear
     * of it here.
     */
    default void skipped(String path) {}
  }

  private static final long MAX_GITIGNORE_BYTES = 1024 * 1024;

  private final ProjectTree tree;

  ProjectWalker(ProjectTree tree) {
    this.tree = tree;
  }

  /**
   * Walks the project's files in name order, skipping the IDE's own temporary files. A project
   * without a directory yet has no files.
   */
  public void walk(String projectId, Visitor visitor) throws IOException {
    Dir project;
    try {
      project = tree.openProject(projectId, false);
    } catch (NoSuchFileException missing) {
      return;
    }
    try (project) {
      walk(project, "", 0, visitor);
    }
  }

  private void walk(Dir dir, String path, int depth, Visitor visitor) throws IOException {
    if (depth > MAX_DEPTH) return;
    byte[] gitignore = readSmall(dir, ".gitignore");
    if (!visitor.enter(path, gitignore)) return;
    try {
      List<String> names = dir.names();
      names.sort(null);
      for (String name : names) {
        if (visitor.stopped()) return;
        if (name.startsWith(ProjectFiles.TEMP_PREFIX)) continue;
        String child = path.isEmpty() ? name : path + "/" + name;
        // Opened without following: a link (to /etc, to a parent, anywhere) is an Other and is
        // skipped, even when it was swapped in after the listing.
        Dir.Entry entry;
        try {
          entry = dir.openEntry(name);
        } catch (NotDirectoryException | java.nio.file.AccessDeniedException unreadable) {
          visitor.skipped(child);
          continue;
        } catch (FileSystemException e) {
          if (!Dir.isLoop(e)) throw e;
          visitor.skipped(child);
          continue;
        }
        if (entry == null) continue;
        try (entry) {
          if (entry instanceof Dir.SubDir sub) {
            walk(sub.dir(), child, depth + 1, visitor);
          } else if (entry instanceof Dir.RegularFile file) {
            long size = file.attributes().size();
            if (!visitor.wantsFile(child, size)) continue;
            if (!visitor.file(child, readAll(file, size))) return;
          } else {
            visitor.skipped(child);
          }
        }
      }
    } finally {
      visitor.leave(path);
    }
  }

  private static byte @Nullable [] readSmall(Dir dir, String name) throws IOException {
    Dir.Entry entry = dir.openEntry(name);
    if (entry == null) return null;
    try (entry) {
      if (!(entry instanceof Dir.RegularFile file)) return null;
      long size = file.attributes().size();
      if (size > MAX_GITIGNORE_BYTES) return null;
      return readAll(file, size);
    }
  }

  private static byte[] readAll(Dir.RegularFile file, long size) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE - 8));
    while (buffer.hasRemaining() && file.channel().read(buffer) >= 0) {
      // a file that shrinks while read ends early; one that grows is cut at the size seen
    }
    buffer.flip();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
