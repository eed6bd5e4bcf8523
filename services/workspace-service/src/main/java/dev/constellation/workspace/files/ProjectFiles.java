package dev.constellation.workspace.files;

import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.config.WorkspaceProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * The project's files, read and written on the host whether or not the workspace runs.
 *
 * <p>Anything inside the container can create symbolic links and FIFOs and swap names, so every
 * directory on the way and every file is opened through {@link ProjectTree}/{@link Dir}: relative
 * to its parent's descriptor, with O_NOFOLLOW (and O_NONBLOCK for files), its type checked on the
 * opened descriptor. Writes go to a fresh temporary name in the same directory and are renamed over
 * the old file, so a failed write (a full disk) leaves the old content.
 */
@Service
public class ProjectFiles {
  static final String TEMP_PREFIX = ".constellation-write-";

  public record Content(byte[] bytes, String etag) {}

  private final ProjectTree tree;
  private final long maxFileBytes;
  private final ReentrantLock[] writeLocks = new ReentrantLock[64];

  ProjectFiles(ProjectTree tree, WorkspaceProperties properties) {
    this.tree = tree;
    this.maxFileBytes = properties.files().maxFileBytes();
    for (int i = 0; i < writeLocks.length; i++) writeLocks[i] = new ReentrantLock();
  }

  // ---- reading

  List<FileEntry> list(String projectId, String path) {
    List<String> names = FilePaths.parse(path, true);
    try (Dir dir = openDirectory(projectId, names, path, names.isEmpty())) {
      List<FileEntry> entries = new ArrayList<>();
      for (String name : dir.names()) {
        PosixFileAttributes attrs = dir.attributesOrNull(name);
        // Links (and devices, FIFOs) are left out: listing one would invite following it.
        if (attrs == null || (!attrs.isDirectory() && !attrs.isRegularFile())) continue;
        if (name.startsWith(TEMP_PREFIX)) continue;
        String child = names.isEmpty() ? name : path + "/" + name;
        entries.add(
            new FileEntry(
                name,
                child,
                attrs.isDirectory() ? "dir" : "file",
                attrs.isDirectory() ? 0 : attrs.size(),
                attrs.lastModifiedTime().toInstant()));
      }
      entries.sort(
          Comparator.comparing((FileEntry e) -> !e.type().equals("dir"))
              .thenComparing(FileEntry::name));
      return entries;
    } catch (IOException e) {
      throw translate(e, path);
    }
  }

  public Content read(String projectId, String path) {
    List<String> names = FilePaths.parse(path, false);
    try (Dir parent = openDirectory(projectId, names.subList(0, names.size() - 1), path, false)) {
      byte[] bytes = readAll(parent, names.get(names.size() - 1), path);
      return new Content(bytes, etagOf(bytes));
    } catch (IOException e) {
      throw translate(e, path);
    }
  }

  /**
   * Opens a folder of the project (the root for {@code ""}) without following links; the caller
   * closes it. A missing folder, a file or a link there is refused with a problem.
   */
  Dir openFolder(String projectId, String path) {
    List<String> names = FilePaths.parse(path, true);
    try {
      return openDirectory(projectId, names, path, names.isEmpty());
    } catch (IOException e) {
      throw translate(e, path);
    }
  }

  long maxFileBytes() {
    return maxFileBytes;
  }

  private byte[] readAll(Dir parent, String name, String path) throws IOException {
    try (Dir.RegularFile file = parent.openRegular(name, path)) {
      long size = file.attributes().size();
      if (size > maxFileBytes) throw tooLarge(path);
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      while (buffer.hasRemaining() && file.channel().read(buffer) >= 0) {
        // a file that shrinks while read ends early; one that grows is cut at the size seen
      }
      buffer.flip();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    }
  }

  // ---- writing

  /**
   * Writes the file atomically; {@code ifMatch} (an ETag or "*") must match the current content
   * when given.
   */
  public WriteResult write(String projectId, String path, InputStream body, String ifMatch) {
    List<String> names = FilePaths.parse(path, false);
    byte[] bytes = readBody(body, path);
    ReentrantLock lock =
        writeLocks[Math.floorMod((projectId + "/" + path).hashCode(), writeLocks.length)];
    lock.lock();
    try (Dir project = tree.openProject(projectId, true);
        Dir parent = walk(project, names.subList(0, names.size() - 1), path, true)) {
      String name = names.get(names.size() - 1);
      PosixFileAttributes existing = parent.attributesOrNull(name);
      if (existing != null && existing.isSymbolicLink()) throw FilePaths.symlink(path);
      if (existing != null && existing.isDirectory())
        throw ApiException.conflict("'" + path + "' is a directory.");
      if (existing != null && !existing.isRegularFile())
        throw FilePaths.invalid("'" + path + "' is not a regular file.");
      if (ifMatch != null && !ifMatch.isBlank()) {
        String current = existing == null ? null : etagOf(readAll(parent, name, path));
        if (!etagMatches(ifMatch, current)) {
          throw new ApiException(
              HttpStatus.PRECONDITION_FAILED,
              "etag-mismatch",
              "File changed",
              "'" + path + "' changed since you read it; reload it and apply your change again.");
        }
      }
      long replacing = existing == null ? 0 : existing.size();
      tree.requireRoom(projectId, project, bytes.length, replacing);
      writeAtomically(parent, name, bytes, existing);
      tree.recordWrite(projectId, bytes.length - replacing);
      return new WriteResult(path, etagOf(bytes), bytes.length);
    } catch (IOException e) {
      throw translate(e, path);
    } finally {
      lock.unlock();
    }
  }

  /** The new content under a temporary name first, then renamed over the old: never half a file. */
  void writeAtomically(Dir parent, String name, byte[] bytes, PosixFileAttributes existing)
      throws IOException {
    Path temp = Path.of(TEMP_PREFIX + UUID.randomUUID());
    try {
      // CREATE_NEW is O_EXCL: it never opens an existing name, link or FIFO.
      try (SeekableByteChannel out =
          parent.stream()
              .newByteChannel(
                  temp,
                  Set.<OpenOption>of(
                      StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, Dir.NOFOLLOW))) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) out.write(buffer);
        if (out instanceof java.nio.channels.FileChannel channel) channel.force(false);
      }
      if (existing != null) parent.view(temp.toString()).setPermissions(existing.permissions());
      tree.own(parent, temp.toString());
      parent.stream().move(temp, parent.stream(), Path.of(name));
    } catch (IOException | RuntimeException e) {
      try {
        parent.stream().deleteFile(temp);
      } catch (IOException ignored) {
        // nothing was left behind
      }
      throw e;
    }
  }

  private byte[] readBody(InputStream body, String path) {
    try {
      byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileBytes + 1));
      if (bytes.length > maxFileBytes) throw tooLarge(path);
      return bytes;
    } catch (IOException e) {
      throw ApiException.badRequest("The request body could not be read.");
    }
  }

  void move(String projectId, String from, String to) {
    List<String> source = FilePaths.parse(from, false);
    List<String> target = FilePaths.parse(to, false);
    if (target.size() > source.size() && target.subList(0, source.size()).equals(source)) {
      throw FilePaths.invalid("A directory cannot be moved into itself.");
    }
    try (Dir project = tree.openProject(projectId, false);
        Dir sourceParent = walk(project, source.subList(0, source.size() - 1), from, false);
        Dir targetParent = walk(project, target.subList(0, target.size() - 1), to, true)) {
      String sourceName = source.get(source.size() - 1);
      String targetName = target.get(target.size() - 1);
      PosixFileAttributes attrs = sourceParent.attributesOrNull(sourceName);
      if (attrs == null) throw new NoSuchFileException(from);
      if (attrs.isSymbolicLink()) throw FilePaths.symlink(from);
      if (targetParent.attributesOrNull(targetName) != null)
        throw ApiException.conflict("'" + to + "' already exists.");
      sourceParent.stream().move(Path.of(sourceName), targetParent.stream(), Path.of(targetName));
    } catch (IOException e) {
      throw translate(e, from);
    }
  }

  /**
   * Deletes a file, or a directory with everything in it. A symbolic link is removed itself, never
   * its target.
   */
  void delete(String projectId, String path) {
    List<String> names = FilePaths.parse(path, false);
    try (Dir parent = openDirectory(projectId, names.subList(0, names.size() - 1), path, false)) {
      String name = names.get(names.size() - 1);
      if (parent.attributesOrNull(name) == null) throw new NoSuchFileException(path);
      tree.deleteTree(parent, name);
      tree.forget(projectId);
    } catch (IOException e) {
      throw translate(e, path);
    }
  }

  /**
   * Removes the first link on the way to {@code path} (a parent folder or the name itself): the
   * link, never its target. Answers whether there was one.
   */
  boolean unlinkFirstLink(String projectId, String path) {
    List<String> names = FilePaths.parse(path, false);
    Dir current = null;
    try (Dir project = tree.openProject(projectId, false)) {
      for (String name : names) {
        Dir parent = current == null ? project : current;
        PosixFileAttributes attrs = parent.attributesOrNull(name);
        if (attrs == null || attrs.isRegularFile()) return false;
        if (attrs.isSymbolicLink()) {
          parent.stream().deleteFile(Path.of(name));
          return true;
        }
        if (!attrs.isDirectory()) return false;
        Dir next = parent.openDir(name);
        if (current != null) current.close();
        current = next;
      }
      return false;
    } catch (NoSuchFileException | NotDirectoryException gone) {
      return false;
    } catch (FileSystemException e) {
      if (Dir.isLoop(e)) return false;
      throw translate(e, path);
    } catch (IOException e) {
      throw translate(e, path);
    } finally {
      if (current != null) {
        try {
          current.close();
        } catch (IOException ignored) {
          // nothing left to release
        }
      }
    }
  }

  boolean removeFolderIfEmpty(String projectId, String path) {
    List<String> names = FilePaths.parse(path, false);
    try (Dir parent = openDirectory(projectId, names.subList(0, names.size() - 1), path, false)) {
      String name = names.get(names.size() - 1);
      PosixFileAttributes attrs = parent.attributesOrNull(name);
      if (attrs == null || !attrs.isDirectory()) return false;
      try (Dir dir = parent.openDir(name)) {
        if (!dir.names().isEmpty()) return false;
      }
      // rmdir: refuses a folder that is no longer empty, and never follows a link swapped in.
      parent.stream().deleteDirectory(Path.of(name));
      return true;
    } catch (NoSuchFileException
        | NotDirectoryException
        | java.nio.file.DirectoryNotEmptyException changedMeanwhile) {
      return false;
    } catch (FileSystemException e) {
      if (Dir.isLoop(e) || String.valueOf(e.getReason()).contains("not empty")) return false;
      throw translate(e, path);
    } catch (IOException e) {
      throw translate(e, path);
    }
  }

  // ---- walking

  /**
   * The directory {@code names} below the project root; a project without a directory yet lists as
   * empty.
   */
  private Dir openDirectory(String projectId, List<String> names, String path, boolean createRoot)
      throws IOException {
    try (Dir project = tree.openProject(projectId, createRoot)) {
      return walk(project, names, path, false);
    }
  }

  /**
   * Opens the directory {@code names} below {@code top}, one name at a time, each relative to its
   * parent and without following links. With {@code create}, missing directories are made (mkdirat,
   * so a swap cannot make one elsewhere). The caller closes {@code top}.
   */
  private Dir walk(Dir top, List<String> names, String path, boolean create) throws IOException {
    Dir current = null;
    try {
      for (String name : names) {
        Dir parent = current == null ? top : current;
        if (create && parent.mkdir(name)) tree.own(parent, name);
        Dir next;
        try {
          next = parent.openDir(name);
        } catch (NotDirectoryException e) {
          PosixFileAttributes attrs = parent.attributesOrNull(name);
          if (attrs != null && attrs.isSymbolicLink()) throw FilePaths.symlink(path);
          throw e;
        }
        if (current != null) current.close();
        current = next;
      }
      // The caller closes what it gets; the top is the caller's own, so a second descriptor stands
      // in for it.
      return current != null ? current : top.reopen();
    } catch (IOException | RuntimeException e) {
      if (current != null) current.close();
      throw e;
    }
  }

  // ---- helpers

  public static String etagOf(byte[] bytes) {
    try {
      return "\""
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
          + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean etagMatches(String ifMatch, String current) {
    if (current == null) return false;
    for (String candidate : ifMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || tag.equals(current)) return true;
    }
    return false;
  }

  private ApiException tooLarge(String path) {
    return new ApiException(
        HttpStatus.CONTENT_TOO_LARGE,
        "file-too-large",
        "File too large",
        "The file '"
            + path
            + "' is larger than "
            + humanBytes(maxFileBytes)
            + ", the most the editor opens or uploads; use the terminal for bigger files.");
  }

  /**
   * "10 MB", "512 KB", "700 bytes": sizes as people read them (1 MB = 1024 KB, as browsers show).
   */
  static String humanBytes(long bytes) {
    if (bytes >= 1024L * 1024 * 1024 && bytes % (1024L * 1024 * 1024 / 10) == 0)
      return trim(bytes / (1024.0 * 1024 * 1024)) + " GB";
    if (bytes >= 1024L * 1024) return trim(bytes / (1024.0 * 1024)) + " MB";
    if (bytes >= 1024) return trim(bytes / 1024.0) + " KB";
    return bytes + (bytes == 1 ? " byte" : " bytes");
  }

  private static String trim(double value) {
    double rounded = Math.round(value * 10) / 10.0;
    return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded);
  }

  static ApiException translate(IOException e, String path) {
    if (e instanceof NoSuchFileException)
      return ApiException.notFound("'" + path + "' does not exist.");
    if (e instanceof Dir.IsADirectory) {
      return new ApiException(
          HttpStatus.BAD_REQUEST,
          "is-a-directory",
          "Is a directory",
          "'" + path + "' is a directory; list it instead.");
    }
    if (e instanceof Dir.NotRegular)
      return FilePaths.invalid("'" + path + "' is not a regular file.");
    if (e instanceof NotDirectoryException)
      return FilePaths.invalid("A parent of '" + path + "' is not a directory.");
    if (e instanceof FileAlreadyExistsException)
      return ApiException.conflict("'" + path + "' already exists.");
    if (e instanceof AccessDeniedException)
      return ApiException.forbidden("'" + path + "' cannot be accessed.");
    if (Dir.isNoSpace(e)) return ProjectTree.diskFull();
    String reason =
        e instanceof FileSystemException fse
            ? String.valueOf(fse.getReason())
            : String.valueOf(e.getMessage());
    // ELOOP is what O_NOFOLLOW answers when a link was swapped in after our check.
    if (reason.contains("symbolic links")) return FilePaths.symlink(path);
    if (reason.contains("Not a directory"))
      return FilePaths.invalid("A parent of '" + path + "' is not a directory.");
    if (reason.contains("Directory not empty") || reason.contains("Invalid argument")) {
      return ApiException.conflict("'" + path + "' cannot be changed that way: " + reason + ".");
    }
    return new ApiException(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "file-error",
        "File operation failed",
        "The file operation on '" + path + "' failed: " + reason + ".");
  }
}
