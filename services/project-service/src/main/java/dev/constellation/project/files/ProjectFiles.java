package dev.constellation.project.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The project directories under WORKSPACES_ROOT: {@code <root>/<projectId>}. New content is built
 * in a staging folder inside the same root and moved into place in one step, so a project's
 * directory is either absent or complete.
 */
@Component
public class ProjectFiles {
  private static final Pattern PROJECT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final String STAGING = ".staging";

  private final Path root;

  ProjectFiles(FilesProperties properties) throws IOException {
    this.root = properties.workspacesRoot().toAbsolutePath().normalize();
    Files.createDirectories(root.resolve(STAGING));
  }

  public Path root() {
    return root;
  }

  public Path directoryOf(String projectId) {
    if (projectId == null || !PROJECT_ID.matcher(projectId).matches()) {
      throw new IllegalArgumentException("not a project id");
    }
    return root.resolve(projectId);
  }

  /** A fresh empty folder on the same file system as the project directories. */
  public Path newStagingDirectory() throws IOException {
    return Files.createDirectories(root.resolve(STAGING).resolve(UUID.randomUUID().toString()));
  }

  /** A path for a temporary file next to the staging folders (not created). */
  public Path newStagingFile(String suffix) {
    return root.resolve(STAGING).resolve(UUID.randomUUID() + suffix);
  }

  public void moveIntoPlace(Path staging, String projectId) throws IOException {
    Path target = directoryOf(projectId);
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, target);
    }
  }

  public void deleteProjectDirectory(String projectId) throws IOException {
    deleteTree(directoryOf(projectId));
  }

  /** Deletes a tree without following symlinks (a link is removed, never its target). */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) throw e;
        deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void deleteIfExists(Path p) throws IOException {
    Files.deleteIfExists(p);
  }
}
