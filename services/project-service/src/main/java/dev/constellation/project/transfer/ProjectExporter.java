package dev.constellation.project.transfer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a project directory as a zip straight to a stream, one file at a time, so the heap
 * needed does not grow with the project. Symlinks are left out: following one could export
 * files from outside the project.
 */
final class ProjectExporter {
  private ProjectExporter() {}

  static void write(Path root, OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    if (Files.isDirectory(root)) {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          if (!dir.equals(root)) {
            ZipEntry entry = new ZipEntry(relative(root, dir) + "/");
            entry.setLastModifiedTime(attrs.lastModifiedTime());
            zip.putNextEntry(entry);
            zip.closeEntry();
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (!attrs.isRegularFile()) return FileVisitResult.CONTINUE;
          ZipEntry entry = new ZipEntry(relative(root, file));
          entry.setLastModifiedTime(attrs.lastModifiedTime());
          zip.putNextEntry(entry);
          Files.copy(file, zip);
          zip.closeEntry();
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          // A file removed while the export runs (a live workspace) is simply not in the archive.
          return FileVisitResult.CONTINUE;
        }
      });
    }
    zip.finish();
    zip.flush();
  }

  private static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
  }
}
