package dev.constellation.workspace.checkpoint;

import dev.constellation.workspace.config.ProjectDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FileUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shadow repositories: one bare git repository per project, {@code <dir>/<projectId>.git},
 * written with JGit only (never a {@code git} process, never with a project as work tree). A
 * checkpoint is a commit whose tree holds the project's files as blobs, named by {@code
 * refs/checkpoints/<id>}; its message carries the label and, as one JSON line, who made it and what
 * was skipped. Blobs are content-addressed, so a file unchanged since the last checkpoint costs
 * nothing in the next one.
 */
@Component
class CheckpointStore {
  static final String REF_PREFIX = "refs/checkpoints/";
  private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a checkpoint says about itself (stored in its commit message). */
  record Meta(
      String id,
      Instant createdAt,
      String label,
      int fileCount,
      long bytes,
      String createdBy,
      List<Skipped> skipped) {}

  /** A name that is in the project but not in the checkpoint, and why. */
  record Skipped(String path, String reason) {}

  private final Path dir;

  CheckpointStore(CheckpointProperties properties, ProjectDirectories directories)
      throws IOException {
    this.dir = resolve(properties.dir(), directories.root());
    Files.createDirectories(dir.getParent());
    if (!Files.isDirectory(dir)) {
      // Only this service reads checkpoints; no workspace user needs to list them.
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }

  /**
   * The configured folder, or {@code <root>/.checkpoints}. A folder inside a project (where a
   * workspace could read or rewrite its own history) is refused at start.
   */
  static Path resolve(@Nullable Path configured, Path workspacesRoot) {
    Path root = workspacesRoot.toAbsolutePath().normalize();
    if (configured == null || configured.toString().isBlank()) return root.resolve(".checkpoints");
    Path dir = configured.toAbsolutePath().normalize();
    if (dir.equals(root) || root.startsWith(dir))
      throw new IllegalStateException(
          "workspace.checkpoints.dir must not be WORKSPACES_ROOT or one of its parents: " + dir);
    if (dir.startsWith(root) && !dir.getName(root.getNameCount()).toString().startsWith(".")) {
      throw new IllegalStateException(
          "workspace.checkpoints.dir must not lie inside a project directory: " + dir);
    }
    return dir;
  }

  Path directory() {
    return dir;
  }

  static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  static String newId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private Path gitDir(String projectId) {
    ProjectDirectories.requireValidId(projectId);
    return dir.resolve(projectId + ".git");
  }

  /** The project's repository, made when {@code create}; null when it has none yet. */
  @Nullable Repository open(String projectId, boolean create) throws IOException {
    Path gitDir = gitDir(projectId);
    boolean exists = Files.isDirectory(gitDir.resolve("objects"));
    if (!exists && !create) return null;
    Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().build();
    if (!exists) {
      repo.create(true);
      var config = repo.getConfig();
      // No reflogs: a dropped checkpoint's objects must become unreachable and prunable.
      config.setBoolean("core", null, "logAllRefUpdates", false);
      config.setInt("gc", null, "auto", 0);
      config.save();
    }
    return repo;
  }

  // ---- writing

  /** Collects one checkpoint's files; {@link #commit} makes it a checkpoint. */
  static final class Builder {
    private final Repository repo;
    private final ObjectInserter inserter;
    private final DirCache index = DirCache.newInCore();
    private final DirCacheBuilder entries = index.builder();
    private final Map<String, ObjectId> files = new LinkedHashMap<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private long bytes;

    Builder(Repository repo) {
      this.repo = repo;
      this.inserter = repo.newObjectInserter();
    }

    /** Adds a file; false (and a skipped entry) when git cannot hold its name. */
    boolean add(String path, byte[] content) throws IOException {
      DirCacheEntry entry;
      try {
        entry = new DirCacheEntry(path);
      } catch (IllegalArgumentException unstorable) {
        skip(path, "name git cannot store");
        return false;
      }
      // The inserter writes nothing for a blob the repository already has.
      ObjectId id = inserter.insert(Constants.OBJ_BLOB, content);
      entry.setFileMode(FileMode.REGULAR_FILE);
      entry.setObjectId(id);
      entry.setLength(content.length);
      entries.add(entry);
      files.put(path, id);
      bytes += content.length;
      return true;
    }

    void skip(String path, String reason) {
      skipped.add(new Skipped(path, reason));
    }

    long bytes() {
      return bytes;
    }

    Map<String, ObjectId> files() {
      return files;
    }

    List<Skipped> skipped() {
      return skipped;
    }

    Meta commit(String label, String createdBy, Instant now) throws IOException {
      entries.finish();
      ObjectId tree = index.writeTree(inserter);
      String id = newId();
      // Kept small: the list of skipped names is for people, a hundred says enough.
      List<Skipped> shown = skipped.size() > 100 ? skipped.subList(0, 100) : skipped;
      Meta meta = new Meta(id, now, label, files.size(), bytes, createdBy, List.copyOf(shown));
      PersonIdent who =
          new PersonIdent(createdBy, createdBy + "@users.constellation", now, ZoneOffset.UTC);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(label + "\n\n" + JSON.writeValueAsString(meta) + "\n");
      ObjectId commitId = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = repo.updateRef(REF_PREFIX + id);
      update.setNewObjectId(commitId);
      update.setExpectedOldObjectId(ObjectId.zeroId());
      RefUpdate.Result result = update.update();
      if (result != RefUpdate.Result.NEW)
        throw new IOException("could not name checkpoint " + id + ": " + result);
      return meta;
    }

    void close() {
      inserter.close();
    }
  }

  // ---- reading

  /** Every checkpoint of the project, newest first. */
  List<Meta> list(Repository repo) throws IOException {
    List<Meta> all = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      for (Ref ref : repo.getRefDatabase().getRefsByPrefix(REF_PREFIX)) {
        all.add(meta(walk.parseCommit(ref.getObjectId())));
      }
    }
    all.sort(Comparator.comparing(Meta::createdAt).thenComparing(Meta::id).reversed());
    return all;
  }

  @Nullable Meta find(Repository repo, String id) throws IOException {
    Ref ref = repo.exactRef(REF_PREFIX + id);
    if (ref == null) return null;
    try (RevWalk walk = new RevWalk(repo)) {
      return meta(walk.parseCommit(ref.getObjectId()));
    }
  }

  /** The checkpoint's files: path → blob id. */
  Map<String, ObjectId> files(Repository repo, String id) throws IOException {
    Ref ref = repo.exactRef(REF_PREFIX + id);
    if (ref == null) throw new IOException("no checkpoint " + id);
    Map<String, ObjectId> files = new LinkedHashMap<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(ref.getObjectId()).getTree());
      tree.setRecursive(true);
      while (tree.next()) files.put(tree.getPathString(), tree.getObjectId(0));
    }
    return files;
  }

  static byte[] read(Repository repo, ObjectId blob) throws IOException {
    return repo.open(blob, Constants.OBJ_BLOB).getBytes(Integer.MAX_VALUE - 8);
  }

  static ObjectId blobId(byte[] content) {
    return new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, content);
  }

  private static Meta meta(RevCommit commit) {
    String message = commit.getFullMessage();
    int body = message.indexOf("\n\n");
    return JSON.readValue(message.substring(body + 2).trim(), Meta.class);
  }

  // ---- dropping

  /**
   * Drops the given checkpoints and prunes every object no remaining checkpoint reaches, so the
   * bytes are really given back.
   */
  void drop(Repository repo, List<String> ids) throws IOException {
    if (ids.isEmpty()) return;
    for (String id : ids) {
      RefUpdate update = repo.updateRef(REF_PREFIX + id);
      update.setForceUpdate(true);
      RefUpdate.Result result = update.delete();
      if (result != RefUpdate.Result.FORCED && result != RefUpdate.Result.NO_CHANGE)
        throw new IOException("could not drop checkpoint " + id + ": " + result);
    }
    prune(repo);
  }

  /**
   * Repacks what is reachable and deletes the rest at once (no grace period: we are the only
   * writer).
   */
  void prune(Repository repo) throws IOException {
    try {
      Git.wrap(repo).gc().setExpire(Instant.now().plusSeconds(1)).call();
    } catch (GitAPIException e) {
      throw new IOException("pruning the checkpoints failed", e);
    }
  }

  /** Bytes the project's checkpoints take on disk. */
  long sizeOnDisk(String projectId) throws IOException {
    Path gitDir = gitDir(projectId);
    if (!Files.isDirectory(gitDir)) return 0;
    try (Stream<Path> paths = Files.walk(gitDir)) {
      return paths
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Removes the project's repository with every checkpoint in it. */
  void deleteAll(String projectId) throws IOException {
    Path gitDir = gitDir(projectId);
    if (Files.exists(gitDir))
      FileUtils.delete(gitDir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
  }
}
