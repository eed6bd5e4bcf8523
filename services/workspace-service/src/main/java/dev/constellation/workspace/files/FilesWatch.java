package dev.constellation.workspace.files;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.constellation.common.project.ProjectIds;
import dev.constellation.workspace.events.WorkspaceEvent;
import dev.constellation.workspace.events.WorkspaceWatchers;
import dev.constellation.workspace.files.FileChanges.Kind;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Pushes changes to the files of a watched project (an open workspace event stream, see {@link
 * WorkspaceWatchers}) as {@code files} events. The project directory on the host is watched with
 * inotify ({@link WatchService}); a container writes through its bind mount, so both runtimes are
 * seen the same way.
 *
 * <p>Every directory is opened through {@link Dir} (no link followed, one name at a time) and the
 * watch is put on that open descriptor, never on a path that could have been swapped for a link in
 * between: a link to {@code /etc} is reported as an entry and nothing below it is watched. Watches
 * are a per-user kernel resource ({@code fs.inotify.max_user_watches}), so a project gets at most
 * {@code maxDirectories} of them and the insides of {@code .git} and {@code node_modules} none;
 * whatever cannot be watched makes an {@code overflow} event (the IDE lists again).
 *
 * <p>Each replica watches for its own streams, so {@code files} events are not relayed over Redis.
 */
@Component
class FilesWatch implements DisposableBean {
  static final String TYPE = "files";

  /** Folders watched themselves but not inside: tools churn through thousands of files there. */
  private static final Set<String> SHALLOW = Set.of(".git", "node_modules");

  private static final Logger log = LoggerFactory.getLogger(FilesWatch.class);

  private record Node(String projectId, String path) {}

  private static final class Project {
    final String id;
    final FileChanges changes;

    /** By directory path ("" is the project's own); guarded by {@link FilesWatch#lock}. */
    final Map<String, WatchKey> keys = new HashMap<>();

    final AtomicBoolean flushPending = new AtomicBoolean();
    boolean full;

    Project(String id, int cap) {
      this.id = id;
      this.changes = new FileChanges(cap);
    }
  }

  private final ProjectTree tree;
  private final WorkspaceWatchers watchers;
  private final ApplicationEventPublisher events;
  private final Duration window;
  private final int maxChanges;
  private final int maxDirectories;
  private final WatchService service;
  private final Object lock = new Object();
  private final Map<WatchKey, Node> nodes = new HashMap<>();
  private final Map<String, Project> projects = new ConcurrentHashMap<>();
  private final ScheduledExecutorService flusher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "files-watch-flush");
            t.setDaemon(true);
            return t;
          });
  private final Thread poller;
  private volatile boolean running = true;

  FilesWatch(
      ProjectTree tree,
      WorkspaceWatchers watchers,
      ApplicationEventPublisher events,
      @Value("${workspace.files-watch.window:150ms}") Duration window,
      @Value("${workspace.files-watch.max-changes:500}") int maxChanges,
      @Value("${workspace.files-watch.max-directories:2000}") int maxDirectories)
      throws IOException {
    this.tree = tree;
    this.watchers = watchers;
    this.events = events;
    this.window = window;
    this.maxChanges = maxChanges;
    this.maxDirectories = maxDirectories;
    this.service = FileSystems.getDefault().newWatchService();
    this.poller = new Thread(this::poll, "files-watch");
    poller.setDaemon(true);
    poller.start();
  }

  /** Starts the watch of newly watched projects and ends it for projects nobody watches. */
  @Scheduled(fixedDelayString = "${workspace.files-watch.reconcile-interval:250ms}")
  void reconcile() {
    Set<String> watched = watchers.watched();
    synchronized (lock) {
      for (String id : List.copyOf(projects.keySet())) if (!watched.contains(id)) stop(id);
      for (String id : watched) if (!projects.containsKey(id) && ProjectIds.isValid(id)) start(id);
    }
  }

  boolean isWatching(String projectId) {
    return projects.containsKey(projectId);
  }

  int watchedDirectories(String projectId) {
    synchronized (lock) {
      Project p = projects.get(projectId);
      return p == null ? 0 : p.keys.size();
    }
  }

  private void start(String projectId) {
    Project p = new Project(projectId, maxChanges);
    try (Dir top = tree.openProject(projectId, false)) {
      projects.put(projectId, p);
      register(p, top, "", false);
      scheduleFlush(p);
    } catch (NoSuchFileException | NotDirectoryException notYet) {
      // the project has no directory yet: the next round tries again
      stop(projectId);
    } catch (IOException | RuntimeException e) {
      log.debug("cannot watch the files of project {}: {}", projectId, e.toString());
      stop(projectId);
    }
  }

  private void stop(String projectId) {
    Project p = projects.remove(projectId);
    if (p == null) return;
    for (WatchKey key : p.keys.values()) {
      key.cancel();
      nodes.remove(key);
    }
    p.keys.clear();
  }

  /**
   * Watches {@code dir} (at {@code path} in the project) and the directories below it; with {@code
   * report}, everything found is reported as created (it appeared before its watch existed).
   */
  private void register(Project p, Dir dir, String path, boolean report) throws IOException {
    if (p.keys.size() >= maxDirectories && !p.keys.containsKey(path)) {
      if (!p.full) {
        p.full = true;
        log.info(
            "project {} has more than {} folders; changes deeper in are not pushed",
            p.id,
            maxDirectories);
      }
      p.changes.markOverflow();
      return;
    }
    WatchKey key;
    try {
      key = dir.descriptorPath().register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
    } catch (IOException limit) {
      // typically fs.inotify.max_user_watches: say "list again" rather than miss changes silently
      log.warn("cannot watch a folder of project {}: {}", p.id, limit.toString());
      p.changes.markOverflow();
      return;
    }
    nodes.put(key, new Node(p.id, path));
    p.keys.put(path, key);
    if (SHALLOW.contains(lastName(path))) return;
    for (String name : dir.names()) {
      if (name.startsWith(ProjectFiles.TEMP_PREFIX)) continue;
      PosixFileAttributes attrs = dir.attributesOrNull(name);
      if (attrs == null) continue;
      String child = join(path, name);
      if (report) p.changes.add(child, Kind.created);
      if (!attrs.isDirectory()) continue;
      try (Dir sub = dir.openDir(name)) {
        register(p, sub, child, report);
      } catch (IOException swappedOrGone) {
        // replaced by a link or a file, or removed, since it was listed: its own event follows
      }
    }
  }

  private void poll() {
    while (running) {
      WatchKey key;
      try {
        key = service.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      try {
        synchronized (lock) {
          handle(key);
        }
      } catch (RuntimeException e) {
        log.warn("a files watch event failed: {}", e.toString());
      }
    }
  }

  private void handle(WatchKey key) {
    List<WatchEvent<?>> happened = key.pollEvents();
    Node node = nodes.get(key);
    Project p = node == null ? null : projects.get(node.projectId());
    if (p == null) {
      key.cancel();
      return;
    }
    for (WatchEvent<?> event : happened) {
      if (event.kind() == OVERFLOW) {
        p.changes.markOverflow();
        continue;
      }
      String name = event.context().toString();
      if (name.startsWith(ProjectFiles.TEMP_PREFIX)) continue;
      String child = join(node.path(), name);
      if (event.kind() == ENTRY_CREATE) {
        p.changes.add(child, Kind.created);
        if (!SHALLOW.contains(lastName(node.path()))) watchIfDirectory(p, child);
      } else if (event.kind() == ENTRY_DELETE) {
        p.changes.add(child, Kind.deleted);
        forget(p, child);
      } else {
        p.changes.add(child, Kind.modified);
      }
    }
    if (!key.reset()) {
      nodes.remove(key);
      p.keys.remove(node.path(), key);
      // the project's own directory went away: watched again once it is back
      if (node.path().isEmpty()) stop(p.id);
    }
    scheduleFlush(p);
  }

  /** A new name: when it is a directory (not a link to one), watch it and what is already in it. */
  private void watchIfDirectory(Project p, String path) {
    try (Dir top = tree.openProject(p.id, false)) {
      Dir dir = top.reopen();
      try {
        for (String name : path.split("/")) {
          Dir next = dir.openDir(name);
          dir.close();
          dir = next;
        }
        register(p, dir, path, true);
      } finally {
        dir.close();
      }
    } catch (IOException notADirectoryOrGone) {
      // a file, a link, or already gone again
    }
  }

  /** Ends the watches of a directory that was removed or moved away, and of those below it. */
  private void forget(Project p, String path) {
    for (var it = p.keys.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      String dir = entry.getKey();
      if (dir.equals(path) || dir.startsWith(path + "/")) {
        entry.getValue().cancel();
        nodes.remove(entry.getValue());
        it.remove();
      }
    }
  }

  private void scheduleFlush(Project p) {
    if (p.changes.isEmpty() || !p.flushPending.compareAndSet(false, true)) return;
    flusher.schedule(
        () -> {
          p.flushPending.set(false);
          Map<String, Object> data = p.changes.drain();
          if (data != null) events.publishEvent(new WorkspaceEvent(p.id, TYPE, data));
        },
        window.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  private static String lastName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Override
  public void destroy() throws IOException {
    running = false;
    flusher.shutdownNow();
    service.close();
  }
}
