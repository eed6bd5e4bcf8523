package dev.constellation.workspace.files;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * An open directory, held by its descriptor. Children are reached only relative to it, never
 * through a path string that could be re-resolved after a swap: directories and files are opened
 * with O_NOFOLLOW (a link swapped in makes the open fail with ELOOP), files also with O_NONBLOCK (a
 * FIFO swapped in opens without waiting for a writer), and the type is checked on the opened
 * descriptor, not on the name. The {@link SecureDirectoryStream} for listing, stat, unlink and
 * rename is reopened through {@code /proc/self/fd/N}, which names the descriptor's inode itself.
 */
final class Dir implements AutoCloseable {
  static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** What a name in a directory turned out to be once opened. */
  sealed interface Entry extends AutoCloseable permits SubDir, RegularFile, Other {
    @Override
    void close() throws IOException;
  }

  record SubDir(Dir dir) implements Entry {
    @Override
    public void close() throws IOException {
      dir.close();
    }
  }

  /**
   * A regular file, its channel positioned at the start and its attributes read from the opened
   * descriptor.
   */
  record RegularFile(FileChannel channel, PosixFileAttributes attributes) implements Entry {
    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** A link, FIFO, socket or device: never read, never followed. */
  record Other() implements Entry {
    @Override
    public void close() {}
  }

  private final int fd;
  private SecureDirectoryStream<Path> stream;

  private Dir(int fd) {
    this.fd = fd;
  }

  /** Opens a directory this service trusts by path (WORKSPACES_ROOT itself). */
  static Dir openTrusted(Path path) throws IOException {
    return new Dir(
        open(
            Libc.AT_FDCWD,
            path.toString(),
            Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC,
            path.toString()));
  }

  /** The child directory {@code name}; a link, file or anything else there is refused. */
  Dir openDir(String name) throws IOException {
    return new Dir(
        open(fd, name, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, name));
  }

  /** A second descriptor of this same directory, closed independently. */
  Dir reopen() throws IOException {
    try {
      return new Dir(Libc.C.openat(fd, ".", Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0));
    } catch (LastErrorException e) {
      throw translate(e, ".");
    }
  }

  /** The child directory {@code name}, made when missing. Answers whether it was made. */
  boolean mkdir(String name) throws IOException {
    check(name);
    try {
      Libc.C.mkdirat(fd, name, 0755);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Libc.EEXIST) return false;
      throw translate(e, name);
    }
  }

  /**
   * Opens {@code name} without following a link or blocking, and says what it is. Null when it does
   * not exist (any more).
   */
  Entry openEntry(String name) throws IOException {
    int child;
    try {
      child =
          open(fd, name, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC, name);
    } catch (NoSuchFileException gone) {
      return null;
    } catch (FileSystemException e) {
      if (isLoop(e)) return new Other();
      throw e;
    }
    boolean handedOver = false;
    try {
      Path self = Path.of("/proc/self/fd/" + child);
      PosixFileAttributes attrs = Files.readAttributes(self, PosixFileAttributes.class);
      if (attrs.isDirectory()) {
        handedOver = true;
        return new SubDir(new Dir(child));
      }
      if (!attrs.isRegularFile()) return new Other();
      // Reopening the magic link opens the very inode already open: no name is resolved again.
      FileChannel channel = FileChannel.open(self, StandardOpenOption.READ);
      return new RegularFile(channel, attrs);
    } finally {
      if (!handedOver) closeFd(child);
    }
  }

  /** The regular file {@code name} opened for reading; anything else is refused. */
  RegularFile openRegular(String name, String shownPath) throws IOException {
    Entry entry = openEntry(name);
    if (entry == null) throw new NoSuchFileException(shownPath);
    if (entry instanceof RegularFile file) return file;
    entry.close();
    if (entry instanceof SubDir) throw new IsADirectory(shownPath);
    throw new NotRegular(shownPath);
  }

  /**
   * Sets or clears the execute bits of the regular file {@code name} (each where its read bit is
   * set, as git checks files out), through the descriptor opened without following a link or
   * blocking on a FIFO: a link or anything else there is left alone. Answers whether it changed it.
   */
  boolean setExecutable(String name, boolean executable) throws IOException {
    int child;
    try {
      child =
          open(fd, name, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC, name);
    } catch (FileSystemException e) {
      if (isLoop(e)) return false;
      throw e;
    }
    try {
      PosixFileAttributes attrs =
          Files.readAttributes(Path.of("/proc/self/fd/" + child), PosixFileAttributes.class);
      if (!attrs.isRegularFile()) return false;
      int mode = 0;
      for (var p : attrs.permissions()) mode |= 1 << (8 - p.ordinal());
      int wanted = executable ? mode | ((mode & 0444) >> 2) : mode & ~0111;
      if (wanted == mode) return false;
      Libc.C.fchmod(child, wanted);
      return true;
    } catch (LastErrorException e) {
      throw translate(e, name);
    } finally {
      closeFd(child);
    }
  }

  /**
   * A path naming exactly this open directory (the descriptor's magic link), for APIs that take a
   * path, such as a {@code WatchService}: they reach the directory this descriptor was opened on,
   * whatever its name points to by now.
   */
  Path descriptorPath() {
    return Path.of("/proc/self/fd/" + fd);
  }

  SecureDirectoryStream<Path> stream() throws IOException {
    if (stream == null) {
      DirectoryStream<Path> opened = Files.newDirectoryStream(descriptorPath());
      if (!(opened instanceof SecureDirectoryStream<Path> secure)) {
        opened.close();
        throw new IllegalStateException(
            "this platform has no SecureDirectoryStream; the files API needs Linux");
      }
      stream = secure;
    }
    return stream;
  }

  /** The names in this directory, read once; the directory may change while they are used. */
  List<String> names() throws IOException {
    List<String> names = new ArrayList<>();
    for (Path entry : stream()) names.add(entry.getFileName().toString());
    // A directory stream iterates once; the next call gets a fresh one.
    stream.close();
    stream = null;
    return names;
  }

  /** Attributes of {@code name} itself (a link is reported as a link); null when missing. */
  PosixFileAttributes attributesOrNull(String name) throws IOException {
    try {
      return view(name).readAttributes();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  PosixFileAttributeView view(String name) throws IOException {
    return stream().getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NOFOLLOW);
  }

  @Override
  public void close() throws IOException {
    try {
      if (stream != null) stream.close();
    } finally {
      closeFd(fd);
    }
  }

  // ---- errors

  static final class IsADirectory extends FileSystemException {
    IsADirectory(String path) {
      super(path, null, "Is a directory");
    }
  }

  static final class NotRegular extends FileSystemException {
    NotRegular(String path) {
      super(path, null, "Not a regular file");
    }
  }

  static boolean isLoop(IOException e) {
    return e instanceof FileSystemException fse
        && String.valueOf(fse.getReason()).contains("symbolic links");
  }

  static boolean isNoSpace(IOException e) {
    String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
    return reason != null
        && (reason.contains("No space left")
            || reason.contains("quota exceeded")
            || reason.contains("Disk quota"));
  }

  private static int open(int dirfd, String name, int flags, String shown) throws IOException {
    if (dirfd != Libc.AT_FDCWD) check(name);
    try {
      return Libc.C.openat(dirfd, name, flags, 0);
    } catch (LastErrorException e) {
      throw translate(e, shown);
    }
  }

  // One name, never a path: a '/' would let the kernel walk (and follow) on its own.
  private static void check(String name) {
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.indexOf('/') >= 0
        || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a single file name: " + name);
    }
  }

  private static void closeFd(int fd) {
    try {
      Libc.C.close(fd);
    } catch (LastErrorException ignored) {
      // nothing left to release
    }
  }

  private static IOException translate(LastErrorException e, String name) {
    return switch (e.getErrorCode()) {
      case Libc.ENOENT -> new NoSuchFileException(name);
      case Libc.ENOTDIR -> new NotDirectoryException(name);
      case Libc.EEXIST -> new FileAlreadyExistsException(name);
      case Libc.ELOOP -> new FileSystemException(name, null, "Too many levels of symbolic links");
      case Libc.ENOSPC -> new FileSystemException(name, null, "No space left on device");
      case Libc.EDQUOT -> new FileSystemException(name, null, "Disk quota exceeded");
      case Libc.EACCES -> new java.nio.file.AccessDeniedException(name);
      default -> new FileSystemException(name, null, "error " + e.getErrorCode());
    };
  }
}
