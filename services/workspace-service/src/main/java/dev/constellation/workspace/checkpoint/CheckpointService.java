package dev.constellation.workspace.checkpoint;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.workspace.checkpoint.CheckpointStore.Meta;
import dev.constellation.workspace.files.ProjectFiles;
import dev.constellation.workspace.files.ProjectFilesDeleted;
import dev.constellation.workspace.files.ProjectWalker;
import dev.constellation.workspace.files.WorkingTree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Checkpoints of a project's files: taken through the files layer's no-follow walk, kept in the
 * shadow repository of {@link CheckpointStore}, restored through the files API's own atomic,
 * no-follow, quota-checked writes. Everything that changes a project's checkpoints (and every
 * restore) holds that project's lock, so two restores never interleave their writes.
 */
@Service
class CheckpointService {
  private static final Logger log = LoggerFactory.getLogger(CheckpointService.class);

  /** Text sent per side of a diff entry; the UI's diff editor shows no more. */
  static final int MAX_DIFF_TEXT_BYTES = 1024 * 1024;

  /**
   * Text of all entries of one diff together, so a checkpoint of a huge tree cannot fill the heap.
   */
  static final long MAX_DIFF_TOTAL_TEXT_BYTES = 16L * 1024 * 1024;

  record Restored(List<String> restored, List<String> deleted, String undoCheckpointId) {}

  record FileDiff(
      String path,
      String status,
      @Nullable String before,
      @Nullable String after,
      boolean binary,
      @Nullable Long beforeSize,
      @Nullable Long afterSize) {}

  private final CheckpointStore store;
  private final ProjectWalker walker;
  private final ProjectFiles files;
  private final WorkingTree workingTree;
  private final CheckpointProperties properties;
  private final Clock clock;
  private final ReentrantLock[] locks = new ReentrantLock[64];

  CheckpointService(
      CheckpointStore store,
      ProjectWalker walker,
      ProjectFiles files,
      WorkingTree workingTree,
      CheckpointProperties properties) {
    this.store = store;
    this.walker = walker;
    this.files = files;
    this.workingTree = workingTree;
    this.properties = properties;
    this.clock = Clock.systemUTC();
    for (int i = 0; i < locks.length; i++) locks[i] = new ReentrantLock(true);
  }

  private ReentrantLock lock(String projectId) {
    return locks[Math.floorMod(projectId.hashCode(), locks.length)];
  }

  // ---- create and list

  Meta create(String projectId, String label, String userId) {
    ReentrantLock lock = lock(projectId);
    lock.lock();
    try (Repository repo = store.open(projectId, true)) {
      return snapshot(repo, projectId, label, userId, Set.of()).meta();
    } catch (IOException e) {
      throw failed(e);
    } finally {
      lock.unlock();
    }
  }

  List<Meta> list(String projectId) {
    try (Repository repo = store.open(projectId, false)) {
      return repo == null ? List.of() : store.list(repo);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private record Snapshot(Meta meta, Map<String, ObjectId> files, Set<String> skipped) {}

  /**
   * Walks the project (links and special files skipped and listed, {@code .git} folders left out,
   * files over the files API's limit skipped and listed), stores it, then drops the oldest
   * checkpoints beyond the count and the byte cap, never one of {@code keep}.
   */
  private Snapshot snapshot(
      Repository repo, String projectId, String label, String userId, Set<String> keep)
      throws IOException {
    long maxBytes = properties.maxBytes().toBytes();
    long maxFile = workingTree.maxFileBytes();
    CheckpointStore.Builder builder = new CheckpointStore.Builder(repo);
    Set<String> skippedPaths = new TreeSet<>();
    boolean[] tooLarge = {false};
    IOException[] failure = {null};
    try {
      walker.walk(
          projectId,
          new ProjectWalker.Visitor() {
            @Override
            public boolean enter(String path, byte @Nullable [] gitignore) {
              // The user's own repository is not ours to roll back (nor a nested one's).
              return !(path.equals(".git") || path.endsWith("/.git"));
            }

            @Override
            public void leave(String path) {}

            @Override
            public boolean wantsFile(String path, long size) {
              if (size > maxFile) {
                builder.skip(path, "larger than " + human(maxFile));
                skippedPaths.add(path);
                return false;
              }
              if (builder.bytes() + size > maxBytes) {
                tooLarge[0] = true;
                return false;
              }
              return true;
            }

            @Override
            public boolean file(String path, byte[] content) {
              try {
                if (!builder.add(path, content)) skippedPaths.add(path);
                return true;
              } catch (IOException e) {
                failure[0] = e;
                return false;
              }
            }

            @Override
            public boolean stopped() {
              return tooLarge[0] || failure[0] != null;
            }

            @Override
            public void skipped(String path) {
              builder.skip(path, "link or special file, not followed");
              skippedPaths.add(path);
            }
          });
      if (failure[0] != null) throw failure[0];
      if (tooLarge[0]) {
        // What was inserted before the cap was hit is unreachable: give it back.
        builder.close();
        store.prune(repo);
        throw new ApiException(
            ProblemType.CHECKPOINT_TOO_LARGE,
            "The project's files hold more than "
                + human(maxBytes)
                + ", the most a checkpoint may keep; nothing was saved. Delete large files (build output, downloads) or ask an administrator.");
      }
      Meta meta = builder.commit(label, userId, clock.instant());
      enforceCaps(repo, projectId, meta.id(), keep);
      return new Snapshot(meta, Map.copyOf(builder.files()), skippedPaths);
    } finally {
      builder.close();
    }
  }

  private void enforceCaps(Repository repo, String projectId, String newId, Set<String> keep)
      throws IOException {
    List<Meta> all = store.list(repo);
    // The list is newest first; dropping starts from its end.
    java.util.ArrayDeque<Meta> droppable = new java.util.ArrayDeque<>();
    for (Meta m : all) {
      if (!m.id().equals(newId) && !keep.contains(m.id())) droppable.push(m);
    }
    // Oldest first: by count, then by the bytes the store takes on disk.
    List<String> drop = new ArrayList<>();
    int count = all.size();
    while (count > properties.maxPerProject() && !droppable.isEmpty()) {
      drop.add(droppable.pop().id());
      count--;
    }
    store.drop(repo, drop);
    long maxBytes = properties.maxBytes().toBytes();
    while (!droppable.isEmpty() && store.sizeOnDisk(projectId) > maxBytes) {
      store.drop(repo, List.of(droppable.pop().id()));
    }
  }

  // ---- diff

  List<FileDiff> diff(String projectId, String checkpointId) {
    requireValidId(checkpointId);
    try (Repository repo = store.open(projectId, false)) {
      if (repo == null || store.find(repo, checkpointId) == null) throw notFound(checkpointId);
      Map<String, ObjectId> then = store.files(repo, checkpointId);
      Map<String, FileDiff> changes = new TreeMap<>();
      Set<String> seen = new HashSet<>();
      long[] textBudget = {MAX_DIFF_TOTAL_TEXT_BYTES};
      IOException[] failure = {null};
      long maxFile = workingTree.maxFileBytes();
      walker.walk(
          projectId,
          new ProjectWalker.Visitor() {
            @Override
            public boolean enter(String path, byte @Nullable [] gitignore) {
              return !(path.equals(".git") || path.endsWith("/.git"));
            }

            @Override
            public void leave(String path) {}

            @Override
            public boolean wantsFile(String path, long size) {
              if (size <= maxFile) return true;
              // Over the limit: never in a checkpoint, so a restore leaves it alone unless the
              // checkpoint holds a (smaller) file of that name, which it writes back.
              seen.add(path);
              ObjectId old = then.get(path);
              if (old != null) {
                changes.put(
                    path,
                    new FileDiff(
                        path, "modified", null, null, true, sizeOf(repo, old, failure), size));
              }
              return false;
            }

            @Override
            public boolean file(String path, byte[] now) {
              seen.add(path);
              ObjectId old = then.get(path);
              if (old != null && old.equals(CheckpointStore.blobId(now))) return true;
              try {
                byte[] before = old == null ? null : CheckpointStore.read(repo, old);
                changes.put(
                    path, entry(path, old == null ? "added" : "modified", before, now, textBudget));
                return true;
              } catch (IOException e) {
                failure[0] = e;
                return false;
              }
            }

            @Override
            public boolean stopped() {
              return failure[0] != null;
            }
          });
      if (failure[0] != null) throw failure[0];
      for (var e : then.entrySet()) {
        if (seen.contains(e.getKey())) continue;
        byte[] before = CheckpointStore.read(repo, e.getValue());
        changes.put(e.getKey(), entry(e.getKey(), "deleted", before, null, textBudget));
      }
      return List.copyOf(changes.values());
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private static @Nullable Long sizeOf(Repository repo, ObjectId blob, IOException[] failure) {
    try {
      return repo.getObjectDatabase().open(blob).getSize();
    } catch (IOException e) {
      failure[0] = e;
      return null;
    }
  }

  private static FileDiff entry(
      String path,
      String status,
      byte @Nullable [] before,
      byte @Nullable [] after,
      long[] budget) {
    boolean binary = (before != null && !isText(before)) || (after != null && !isText(after));
    Long beforeSize = before == null ? null : (long) before.length;
    Long afterSize = after == null ? null : (long) after.length;
    long needed = (before == null ? 0 : before.length) + (after == null ? 0 : after.length);
    boolean fits =
        !binary
            && (before == null || before.length <= MAX_DIFF_TEXT_BYTES)
            && (after == null || after.length <= MAX_DIFF_TEXT_BYTES)
            && needed <= budget[0];
    if (!fits) return new FileDiff(path, status, null, null, binary, beforeSize, afterSize);
    budget[0] -= needed;
    return new FileDiff(
        path,
        status,
        before == null ? null : new String(before, StandardCharsets.UTF_8),
        after == null ? null : new String(after, StandardCharsets.UTF_8),
        false,
        beforeSize,
        afterSize);
  }

  /** Text the diff editor can show and give back unchanged: no NUL, valid UTF-8 throughout. */
  static boolean isText(byte[] bytes) {
    if (WorkingTree.looksBinary(bytes)) return false;
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  // ---- restore

  /**
   * Makes the project's files the checkpoint's, byte for byte: first a checkpoint of the current
   * state (the undo), then files added since deleted, folders left empty by that removed, and every
   * file that differs written back through the files API (atomic, no-follow, within the quota).
   * Names the walk skipped (links, special files, files over the limit, {@code .git}) are left as
   * they are: what could not be recorded is never deleted.
   */
  Restored restore(String projectId, String checkpointId, String userId) {
    requireValidId(checkpointId);
    ReentrantLock lock = lock(projectId);
    lock.lock();
    try (Repository repo = store.open(projectId, false)) {
      Meta target = repo == null ? null : store.find(repo, checkpointId);
      if (target == null) throw notFound(checkpointId);
      Map<String, ObjectId> wanted = store.files(repo, checkpointId);
      Snapshot undo =
          snapshot(repo, projectId, undoLabel(target.label()), userId, Set.of(checkpointId));
      Map<String, ObjectId> now = undo.files();

      List<String> deleted = new ArrayList<>();
      Map<String, String> failedPaths = new LinkedHashMap<>();
      for (String path : new TreeSet<>(now.keySet())) {
        if (wanted.containsKey(path)) continue;
        try {
          if (workingTree.deleteIfExists(projectId, path)) deleted.add(path);
        } catch (ApiException e) {
          failedPaths.put(path, e.getMessage());
        }
      }
      tidyFolders(projectId, deleted, wanted.keySet());

      List<String> restored = new ArrayList<>();
      for (var e : new TreeMap<>(wanted).entrySet()) {
        String path = e.getKey();
        if (e.getValue().equals(now.get(path))) continue;
        try {
          byte[] bytes = CheckpointStore.read(repo, e.getValue());
          try {
            files.write(projectId, path, new ByteArrayInputStream(bytes), null);
          } catch (ApiException linkInTheWay) {
            // A link now stands where the checkpoint has a file or folder: the link goes (never
            // its target) and the write is tried once more, again without following anything.
            if (linkInTheWay.status() != HttpStatus.BAD_REQUEST
                || !workingTree.unlinkFirstLink(projectId, path)) throw linkInTheWay;
            files.write(projectId, path, new ByteArrayInputStream(bytes), null);
          }
          restored.add(path);
        } catch (ApiException refused) {
          failedPaths.put(path, refused.getMessage());
        }
      }
      log.info(
          "checkpoint restored: project={} checkpoint={} restored={} deleted={} failed={}",
          projectId,
          checkpointId,
          restored.size(),
          deleted.size(),
          failedPaths.size());
      if (!failedPaths.isEmpty()) {
        throw new ApiException(
                ProblemType.CHECKPOINT_RESTORE_INCOMPLETE,
                failedPaths.size()
                    + " file(s) could not be restored (first: "
                    + failedPaths.keySet().iterator().next()
                    + ": "
                    + failedPaths.values().iterator().next()
                    + "); the others were. Restore checkpoint "
                    + undo.meta().id()
                    + " to undo.")
            .withProperty("restored", restored)
            .withProperty("deleted", deleted)
            .withProperty("failed", failedPaths)
            .withProperty("undoCheckpointId", undo.meta().id());
      }
      return new Restored(restored, deleted, undo.meta().id());
    } catch (IOException e) {
      throw failed(e);
    } finally {
      lock.unlock();
    }
  }

  /** Removes folders that deleting left empty, deepest first, never one the checkpoint needs. */
  private void tidyFolders(String projectId, List<String> deleted, Set<String> kept) {
    Set<String> needed = new HashSet<>();
    for (String path : kept) {
      for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1))
        needed.add(path.substring(0, i));
    }
    TreeSet<String> folders =
        new TreeSet<>(
            Comparator.comparingInt((String p) -> p.split("/").length)
                .reversed()
                .thenComparing(Comparator.naturalOrder()));
    for (String path : deleted) {
      for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1))
        folders.add(path.substring(0, i));
    }
    for (String folder : folders) {
      if (needed.contains(folder)) continue;
      try {
        workingTree.removeFolderIfEmpty(projectId, folder);
      } catch (ApiException leftAsIs) {
        // a folder that cannot be tidied costs nothing but an empty name
      }
    }
  }

  private static String undoLabel(String label) {
    String undo = "Before restoring “" + label + "”";
    return undo.length() <= CheckpointsController.MAX_LABEL_CHARS
        ? undo
        : undo.substring(0, CheckpointsController.MAX_LABEL_CHARS - 1) + "…";
  }

  // ---- deleting the project

  @EventListener
  void onProjectFilesDeleted(ProjectFilesDeleted event) throws IOException {
    ReentrantLock lock = lock(event.projectId());
    lock.lock();
    try {
      store.deleteAll(event.projectId());
    } finally {
      lock.unlock();
    }
  }

  // ---- helpers

  static void requireValidId(String checkpointId) {
    if (!CheckpointStore.isValidId(checkpointId))
      throw new ApiException(
          ProblemType.BAD_PARAMETER,
          "Invalid checkpoint id",
          "A checkpoint id is 16 hexadecimal digits, as the list of checkpoints gives it.");
  }

  private static ApiException notFound(String checkpointId) {
    return ApiException.notFound(
        "This project has no checkpoint '" + checkpointId + "'; it may have been dropped.");
  }

  private static ApiException failed(IOException e) {
    log.warn("checkpoint storage failed: {}", e.toString());
    return new ApiException(
        HttpStatus.INTERNAL_SERVER_ERROR,
        ProblemType.FILE_ERROR.slug(),
        ProblemType.FILE_ERROR.title(),
        "The checkpoint store could not be read or written; try again, or ask an administrator to look at the service log.");
  }

  static String human(long bytes) {
    if (bytes >= 1024L * 1024) return (bytes / (1024 * 1024)) + " MB";
    if (bytes >= 1024) return (bytes / 1024) + " KB";
    return bytes + " bytes";
  }
}
