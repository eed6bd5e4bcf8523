package dev.constellation.workspace.files;

import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.config.ProjectDirectories;
import dev.constellation.workspace.config.ProjectFileOwner;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The one way into WORKSPACES_ROOT. Every operation on project files (the files API, import,
 * export, template create, delete) starts from a descriptor of the root and reaches a project's
 * directory and everything below it through {@link Dir}, one name at a time, never following a
 * link. Anything inside a workspace can create links, FIFOs or swap names at any moment; none of
 * that can make this service touch a file outside the project.
 */
@Component
class ProjectTree {
  /** Where imports and template creates are built; a project id never starts with a dot. */
  static final String STAGING = ".staging";

  private static final long USAGE_FRESH_NANOS = 10_000_000_000L;

  private record Usage(long bytes, long measuredAt) {}

  private final Path root;
  private final int ownerUid;
  private final boolean chown;
  private final long quota;
  private final Map<String, Usage> usage = new ConcurrentHashMap<>();

  ProjectTree(ProjectDirectories directories, ProjectFileOwner owner, DiskProperties disk)
      throws IOException {
    this.root = directories.root();
    this.ownerUid = owner.workspaceUid();
    this.chown = owner.handsFilesOver() && runningAsRoot();
    this.quota = disk.projectQuota().toBytes();
    Files.createDirectories(root);
  }

  long quota() {
    return quota;
  }

  Dir openRoot() throws IOException {
    return Dir.openTrusted(root);
  }

  /**
   * The project's directory; with {@code create} it is made (owned by the workspace user) when
   * missing.
   */
  Dir openProject(String projectId, boolean create) throws IOException {
    ProjectDirectories.requireValidId(projectId);
    try (Dir top = openRoot()) {
      if (create && top.mkdir(projectId)) own(top, projectId);
      return top.openDir(projectId);
    }
  }

  /**
   * A fresh folder under {@link #STAGING}, to be filled and then moved into place in one rename.
   */
  String newStagingName(Dir top) throws IOException {
    top.mkdir(STAGING);
    try (Dir staging = top.openDir(STAGING)) {
      String name = UUID.randomUUID().toString();
      staging.mkdir(name);
      return name;
    }
  }

  void own(Dir parent, String name) throws IOException {
    if (!chown) return;
    PosixFileAttributeView view = parent.view(name);
    var lookup = FileSystems.getDefault().getUserPrincipalLookupService();
    UserPrincipal user = lookup.lookupPrincipalByName(String.valueOf(ownerUid));
    GroupPrincipal group = lookup.lookupPrincipalByGroupName(String.valueOf(ownerUid));
    view.setOwner(user);
    view.setGroup(group);
  }

  // ---- deleting

  /**
   * Deletes {@code name} in {@code parent}, a directory with everything in it; a link is removed
   * itself, never its target.
   */
  void deleteTree(Dir parent, String name) throws IOException {
    PosixFileAttributes attrs = parent.attributesOrNull(name);
    if (attrs == null) return;
    if (attrs.isDirectory()) {
      try (Dir dir = parent.openDir(name)) {
        for (String child : dir.names()) deleteTree(dir, child);
      } catch (NotDirectoryException | NoSuchFileException swapped) {
        // swapped for a file or link (or gone) after the check: unlinked below like one
      } catch (FileSystemException e) {
        if (!Dir.isLoop(e)) throw e;
      }
      try {
        parent.stream().deleteDirectory(Path.of(name));
        return;
      } catch (NoSuchFileException gone) {
        return;
      } catch (FileSystemException notADirectoryAnyMore) {
        if (parent.attributesOrNull(name) == null) return;
        if (parent.attributesOrNull(name).isDirectory()) throw notADirectoryAnyMore;
      }
    }
    try {
      parent.stream().deleteFile(Path.of(name));
    } catch (NoSuchFileException gone) {
      // removed meanwhile from inside the workspace
    }
  }

  // ---- the quota

  /**
   * Refuses a change that would take the project past its quota. {@code adding} bytes are about to
   * be written, {@code replacing} bytes go away with them (the old content of an overwritten file).
   * The project's usage is measured by a no-follow walk at most every few seconds and adjusted by
   * the writes made through this service in between.
   */
  void requireRoom(String projectId, Dir project, long adding, long replacing) throws IOException {
    long used = usedBytes(projectId, project);
    if (used - replacing + adding > quota) throw quotaExceeded(used);
  }

  void recordWrite(String projectId, long delta) {
    usage.computeIfPresent(
        projectId, (id, u) -> new Usage(Math.max(0, u.bytes() + delta), u.measuredAt()));
  }

  void forget(String projectId) {
    usage.remove(projectId);
  }

  long usedBytes(String projectId, Dir project) throws IOException {
    Usage known = usage.get(projectId);
    if (known != null && System.nanoTime() - known.measuredAt() < USAGE_FRESH_NANOS)
      return known.bytes();
    long bytes = measure(project);
    usage.put(projectId, new Usage(bytes, System.nanoTime()));
    return bytes;
  }

  /**
   * Bytes of the regular files below {@code top}, links not followed (st_size of each name, fstatat
   * NOFOLLOW).
   */
  static long measure(Dir top) throws IOException {
    long total = 0;
    Deque<Dir> pending = new ArrayDeque<>();
    pending.push(top);
    try {
      while (!pending.isEmpty()) {
        Dir dir = pending.pop();
        try {
          for (String name : dir.names()) {
            PosixFileAttributes attrs = dir.attributesOrNull(name);
            if (attrs == null) continue;
            if (attrs.isRegularFile()) total += attrs.size();
            else if (attrs.isDirectory()) {
              try {
                pending.push(dir.openDir(name));
              } catch (IOException swappedOrGone) {
                // not a directory any more: nothing of it to count
              }
            }
          }
        } finally {
          if (dir != top) dir.close();
        }
      }
      return total;
    } finally {
      for (Dir d : pending) if (d != top) d.close();
    }
  }

  ApiException quotaExceeded(long used) {
    return new ApiException(
        HttpStatus.INSUFFICIENT_STORAGE,
        "quota-exceeded",
        "Project quota exceeded",
        "The project would hold more than its quota of "
            + quota / (1024 * 1024)
            + " MB (it holds "
            + used / (1024 * 1024)
            + " MB now); delete files to make room.");
  }

  static ApiException diskFull() {
    return new ApiException(
        HttpStatus.INSUFFICIENT_STORAGE,
        "disk-full",
        "Disk full",
        "The workspaces volume is full; nothing was written. Try again once an administrator has made room.");
  }

  private static boolean runningAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
