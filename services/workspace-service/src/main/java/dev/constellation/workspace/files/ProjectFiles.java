package dev.constellation.workspace.files;

import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.config.ProjectDirectories;
import dev.constellation.workspace.config.WorkspaceProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
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
 * <p>Anything inside the container can create symbolic links, so no operation ever follows one:
 * every directory on the way is opened relative to its parent's descriptor with O_NOFOLLOW
 * ({@link SecureDirectoryStream} on Linux is openat/unlinkat/renameat), and files are opened the
 * same way. A link swapped in at any moment makes the open fail instead of escaping the root. The
 * one call without an *at variant, mkdir, is preceded by a real-path check of its parent.
 */
@Service
class ProjectFiles {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final String TEMP_PREFIX = ".constellation-write-";

  record Content(byte[] bytes, String etag) {}

  private final ProjectDirectories directories;
  private final long maxFileBytes;
  private final int ownerUid;
  private final boolean chown;
  private final ReentrantLock[] writeLocks = new ReentrantLock[64];

  ProjectFiles(ProjectDirectories directories, WorkspaceProperties properties) {
    this.directories = directories;
    this.maxFileBytes = properties.files().maxFileBytes();
    this.ownerUid = properties.isolation().uid();
    this.chown = runningAsRoot();
    for (int i = 0; i < writeLocks.length; i++) writeLocks[i] = new ReentrantLock();
  }

  long maxFileBytes() {
    return maxFileBytes;
  }

  // ---- reading

  List<FileEntry> list(String projectId, String path) {
    List<String> names = FilePaths.parse(path, true);
    try (SecureDirectoryStream<Path> dir = openDirectory(projectId, names, path, false)) {
      List<FileEntry> entries = new ArrayList<>();
      for (Path entry : dir) {
        Path name = entry.getFileName();
        BasicFileAttributes attrs;
        try {
          attrs = attributes(dir, name);
        } catch (NoSuchFileException gone) {
          continue;
        }
        // Links (and devices, FIFOs) are left out: listing one would invite following it.
        if (!attrs.isDirectory() && !attrs.isRegularFile()) continue;
        if (name.toString().startsWith(TEMP_PREFIX)) continue;
        String child = names.isEmpty() ? name.toString() : path + "/" + name;
        entries.add(new FileEntry(name.toString(), child, attrs.isDirectory() ? "dir" : "file",
            attrs.isDirectory() ? 0 : attrs.size(), attrs.lastModifiedTime().toInstant()));
      }
      entries.sort(Comparator.comparing((FileEntry e) -> !e.type().equals("dir")).thenComparing(FileEntry::name));
      return entries;
    } catch (IOException e) {
      throw translate(e, path);
    }
  }

  Content read(String projectId, String path) {
    List<String> names = FilePaths.parse(path, false);
    try (SecureDirectoryStream<Path> parent = openDirectory(projectId, names.subList(0, names.size() - 1), path, false)) {
      Path name = Path.of(names.get(names.size() - 1));
      BasicFileAttributes attrs = attributes(parent, name);
      if (attrs.isSymbolicLink()) throw FilePaths.symlink(path);
      if (attrs.isDirectory()) throw new ApiException(HttpStatus.BAD_REQUEST, "is-a-directory", "Is a directory", "'" + path + "' is a directory; list it instead.");
      if (!attrs.isRegularFile()) throw FilePaths.invalid("'" + path + "' is not a regular file.");
      byte[] bytes = readAll(parent, name, path);
      return new Content(bytes, etagOf(bytes));
    } catch (IOException e) {
      throw translate(e, path);
    }
  }

  private byte[] readAll(SecureDirectoryStream<Path> parent, Path name, String path) throws IOException {
    try (SeekableByteChannel channel = parent.newByteChannel(name, Set.of(StandardOpenOption.READ, NOFOLLOW))) {
      long size = channel.size();
      if (size > maxFileBytes) throw tooLarge(path);
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // a file that shrinks while read ends early; one that grows is cut at the size seen
      }
      buffer.flip();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    }
  }

  // ---- writing

  /** Writes the file atomically; {@code ifMatch} (an ETag or "*") must match the current content when given. */
  WriteResult write(String projectId, String path, InputStream body, String ifMatch) {
    List<String> names = FilePaths.parse(path, false);
    byte[] bytes = readBody(body, path);
    ReentrantLock lock = writeLocks[Math.floorMod((projectId + "/" + path).hashCode(), writeLocks.length)];
    lock.lock();
    try (SecureDirectoryStream<Path> parent = openDirectory(projectId, names.subList(0, names.size() - 1), path, true)) {
      Path name = Path.of(names.get(names.size() - 1));
      BasicFileAttributes existing = attributesOrNull(parent, name);
      if (existing != null && existing.isSymbolicLink()) throw FilePaths.symlink(path);
      if (existing != null && existing.isDirectory()) throw ApiException.conflict("'" + path + "' is a directory.");
      if (existing != null && !existing.isRegularFile()) throw FilePaths.invalid("'" + path + "' is not a regular file.");
      if (ifMatch != null && !ifMatch.isBlank()) {
        String current = existing == null ? null : etagOf(readAll(parent, name, path));
        if (!etagMatches(ifMatch, current)) {
          throw new ApiException(HttpStatus.PRECONDITION_FAILED, "etag-mismatch", "File changed",
              "'" + path + "' changed since you read it; reload it and apply your change again.");
        }
      }
      Path temp = Path.of(TEMP_PREFIX + UUID.randomUUID());
      try {
        try (SeekableByteChannel out = parent.newByteChannel(temp,
            Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW))) {
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          while (buffer.hasRemaining()) out.write(buffer);
        }
        PosixFileAttributeView view = parent.getFileAttributeView(temp, PosixFileAttributeView.class, NOFOLLOW);
        if (existing != null) {
          view.setPermissions(parent.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW).readAttributes().permissions());
        }
        own(view);
        parent.move(temp, parent, name);
      } catch (IOException e) {
        try {
          parent.deleteFile(temp);
        } catch (IOException ignored) {
          // nothing was left behind
        }
        throw e;
      }
      return new WriteResult(path, etagOf(bytes), bytes.length);
    } catch (IOException e) {
      throw translate(e, path);
    } finally {
      lock.unlock();
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
    try (SecureDirectoryStream<Path> sourceParent = openDirectory(projectId, source.subList(0, source.size() - 1), from, false);
        SecureDirectoryStream<Path> targetParent = openDirectory(projectId, target.subList(0, target.size() - 1), to, true)) {
      Path sourceName = Path.of(source.get(source.size() - 1));
      Path targetName = Path.of(target.get(target.size() - 1));
      BasicFileAttributes attrs = attributes(sourceParent, sourceName);
      if (attrs.isSymbolicLink()) throw FilePaths.symlink(from);
      if (attributesOrNull(targetParent, targetName) != null) throw ApiException.conflict("'" + to + "' already exists.");
      sourceParent.move(sourceName, targetParent, targetName);
    } catch (IOException e) {
      throw translate(e, from);
    }
  }

  /** Deletes a file, or a directory with everything in it. A symbolic link is removed itself, never its target. */
  void delete(String projectId, String path) {
    List<String> names = FilePaths.parse(path, false);
    try (SecureDirectoryStream<Path> parent = openDirectory(projectId, names.subList(0, names.size() - 1), path, false)) {
      deleteEntry(parent, Path.of(names.get(names.size() - 1)));
    } catch (IOException e) {
      throw translate(e, path);
    }
  }

  private void deleteEntry(SecureDirectoryStream<Path> parent, Path name) throws IOException {
    BasicFileAttributes attrs = attributes(parent, name);
    if (!attrs.isDirectory()) {
      parent.deleteFile(name);
      return;
    }
    try (SecureDirectoryStream<Path> dir = parent.newDirectoryStream(name, NOFOLLOW)) {
      List<Path> children = new ArrayList<>();
      for (Path child : dir) children.add(child.getFileName());
      for (Path child : children) {
        try {
          deleteEntry(dir, child);
        } catch (NoSuchFileException gone) {
          // removed meanwhile from inside the workspace
        }
      }
    }
    parent.deleteDirectory(name);
  }

  // ---- walking

  /**
   * Opens the directory {@code names} below the project root, one name at a time, each relative
   * to its parent and without following links. With {@code create}, missing directories are made.
   */
  private SecureDirectoryStream<Path> openDirectory(String projectId, List<String> names, String path, boolean create) throws IOException {
    Path root = directories.of(projectId);
    if (create) Files.createDirectories(root);
    BasicFileAttributes rootAttrs;
    try {
      rootAttrs = Files.readAttributes(root, BasicFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      if (names.isEmpty()) return emptyRoot(root);
      throw e;
    }
    if (!rootAttrs.isDirectory()) throw new IllegalStateException("project directory " + root + " is not a directory");
    DirectoryStream<Path> opened = Files.newDirectoryStream(root);
    if (!(opened instanceof SecureDirectoryStream<Path> current)) {
      opened.close();
      throw new IllegalStateException("this platform has no SecureDirectoryStream; the files API needs Linux or macOS");
    }
    Path expected = root;
    try {
      for (String segment : names) {
        Path name = Path.of(segment);
        expected = expected.resolve(segment);
        BasicFileAttributes attrs = attributesOrNull(current, name);
        if (attrs == null && create) {
          mkdir(root, expected);
          own(current.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW));
          attrs = attributes(current, name);
        }
        if (attrs == null) throw new NoSuchFileException(segment);
        if (attrs.isSymbolicLink()) throw FilePaths.symlink(path);
        if (!attrs.isDirectory()) throw new NotDirectoryException(segment);
        SecureDirectoryStream<Path> next = current.newDirectoryStream(name, NOFOLLOW);
        current.close();
        current = next;
      }
      return current;
    } catch (IOException | RuntimeException e) {
      current.close();
      throw e;
    }
  }

  /** A project that has no directory yet lists as empty rather than failing. */
  private SecureDirectoryStream<Path> emptyRoot(Path root) throws IOException {
    Files.createDirectories(root);
    if (chown) {
      Files.setAttribute(root, "unix:uid", ownerUid, NOFOLLOW);
      Files.setAttribute(root, "unix:gid", ownerUid, NOFOLLOW);
    }
    return (SecureDirectoryStream<Path>) Files.newDirectoryStream(root);
  }

  private static void mkdir(Path root, Path directory) throws IOException {
    // No mkdirat in java.nio: check right before that the parent still resolves inside the root.
    Path realParent = directory.getParent().toRealPath();
    if (!realParent.startsWith(root.toRealPath())) {
      throw new FileSystemException(directory.toString(), null, "Too many levels of symbolic links");
    }
    try {
      Files.createDirectory(realParent.resolve(directory.getFileName()));
    } catch (FileAlreadyExistsException raced) {
      // made meanwhile; the NOFOLLOW open that follows decides whether it is usable
    }
  }

  private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    return dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW).readAttributes();
  }

  private static BasicFileAttributes attributesOrNull(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    try {
      return attributes(dir, name);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private void own(PosixFileAttributeView view) throws IOException {
    if (!chown) return;
    var lookup = FileSystems.getDefault().getUserPrincipalLookupService();
    UserPrincipal user = lookup.lookupPrincipalByName(String.valueOf(ownerUid));
    GroupPrincipal group = lookup.lookupPrincipalByGroupName(String.valueOf(ownerUid));
    view.setOwner(user);
    view.setGroup(group);
  }

  private static boolean runningAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  // ---- helpers

  static String etagOf(byte[] bytes) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)) + "\"";
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
    return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "file-too-large", "File too large",
        "'" + path + "' is larger than the " + maxFileBytes + " bytes the files API handles; use the terminal for it.");
  }

  private static ApiException translate(IOException e, String path) {
    if (e instanceof NoSuchFileException) return ApiException.notFound("'" + path + "' does not exist.");
    if (e instanceof NotDirectoryException) return FilePaths.invalid("A parent of '" + path + "' is not a directory.");
    if (e instanceof FileAlreadyExistsException) return ApiException.conflict("'" + path + "' already exists.");
    String reason = e instanceof FileSystemException fse ? String.valueOf(fse.getReason()) : String.valueOf(e.getMessage());
    // ELOOP is what O_NOFOLLOW answers when a link was swapped in after our check.
    if (reason.contains("symbolic links")) return FilePaths.symlink(path);
    if (reason.contains("Not a directory")) return FilePaths.invalid("A parent of '" + path + "' is not a directory.");
    if (reason.contains("Directory not empty") || reason.contains("Invalid argument")) {
      return ApiException.conflict("'" + path + "' cannot be changed that way: " + reason + ".");
    }
    return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "file-error", "File operation failed",
        "The file operation on '" + path + "' failed: " + reason + ".");
  }
}
