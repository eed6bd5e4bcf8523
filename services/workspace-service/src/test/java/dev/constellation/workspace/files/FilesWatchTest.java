package dev.constellation.workspace.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.constellation.workspace.config.ProjectDirectories;
import dev.constellation.workspace.config.ProjectFileOwner;
import dev.constellation.workspace.events.WorkspaceEvent;
import dev.constellation.workspace.events.WorkspaceWatchers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The watch on a real directory with real inotify; each test waits for events, never sleeps. */
class FilesWatchTest {
  private static final String PROJECT = "p1";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path root;
  @TempDir Path outside;

  private final List<WorkspaceEvent> published = new CopyOnWriteArrayList<>();
  private final WorkspaceWatchers watchers = new WorkspaceWatchers();
  private FilesWatch watch;

  private FilesWatch start(int maxChanges, int maxDirectories) throws IOException {
    ProjectDirectories directories = mock(ProjectDirectories.class);
    when(directories.root()).thenReturn(root);
    DiskProperties disk =
        new DiskProperties(
            DataSize.ofMegabytes(10),
            DataSize.ofMegabytes(10),
            100,
            DataSize.ofMegabytes(10),
            100,
            DataSize.ofMegabytes(1));
    ProjectTree tree = new ProjectTree(directories, new ProjectFileOwner(0), disk);
    watch =
        new FilesWatch(
            tree,
            watchers,
            event -> published.add((WorkspaceEvent) event),
            Duration.ofMillis(50),
            maxChanges,
            maxDirectories);
    Files.createDirectories(root.resolve(PROJECT));
    watchers.watch(PROJECT);
    watch.reconcile();
    assertThat(watch.isWatching(PROJECT)).isTrue();
    return watch;
  }

  @AfterEach
  void stop() throws IOException {
    if (watch != null) watch.destroy();
  }

  @Test
  void createdModifiedAndDeletedFilesArePushed() throws Exception {
    start(500, 100);
    Path file = root.resolve(PROJECT).resolve("a.txt");

    Files.writeString(file, "one");
    awaitChange("a.txt", "created");
    Files.writeString(file, "two");
    awaitChange("a.txt", "modified");
    Files.delete(file);
    awaitChange("a.txt", "deleted");
  }

  @Test
  void aNewFolderIsWatchedWithWhatWasAlreadyInIt() throws Exception {
    start(500, 100);
    Path deep = root.resolve(PROJECT).resolve("src/main");
    Files.createDirectories(deep);
    Files.writeString(deep.resolve("App.java"), "class App {}");
    awaitChange("src/main/App.java", "created");

    Files.writeString(deep.resolve("App.java"), "class App { }");
    awaitChange("src/main/App.java", "modified");
  }

  @Test
  void aMovedFolderIsReportedUnderItsNewName() throws Exception {
    start(500, 100);
    Path project = root.resolve(PROJECT);
    Files.createDirectories(project.resolve("old"));
    awaitChange("old", "created");
    Files.move(project.resolve("old"), project.resolve("new"));
    awaitChange("old", "deleted");
    awaitChange("new", "created");

    Files.writeString(project.resolve("new/x.txt"), "x");
    awaitChange("new/x.txt", "created");
    assertThat(allPaths()).doesNotContain("old/x.txt");
  }

  @Test
  void aLinkOutOfTheProjectIsAnEntryAndNeverFollowed() throws Exception {
    start(500, 100);
    Path project = root.resolve(PROJECT);
    Files.createSymbolicLink(project.resolve("etc"), outside);
    awaitChange("etc", "created");

    Files.writeString(outside.resolve("secret.txt"), "s");
    // a change inside the project afterwards: once it arrives, the earlier one would have too
    Files.writeString(project.resolve("marker.txt"), "m");
    awaitChange("marker.txt", "created");
    assertThat(allPaths()).noneMatch(p -> p.contains("secret"));
    assertThat(watch.watchedDirectories(PROJECT)).isEqualTo(1);
  }

  @Test
  void thousandsOfChangesBecomeAnOverflow() throws Exception {
    start(20, 100);
    Path project = root.resolve(PROJECT);
    for (int i = 0; i < 200; i++) Files.writeString(project.resolve("f" + i), "x");

    await(e -> Boolean.TRUE.equals(data(e).get("overflow")));
  }

  @Test
  void theNumberOfWatchedFoldersIsBounded() throws Exception {
    start(500, 3);
    Path project = root.resolve(PROJECT);
    for (int i = 0; i < 6; i++) Files.createDirectories(project.resolve("d" + i));

    await(e -> Boolean.TRUE.equals(data(e).get("overflow")));
    assertThat(watch.watchedDirectories(PROJECT)).isLessThanOrEqualTo(3);
  }

  @Test
  void theInsidesOfNodeModulesAreNotWatched() throws Exception {
    Files.createDirectories(root.resolve(PROJECT).resolve("node_modules/left-pad"));
    start(500, 100);

    assertThat(watch.watchedDirectories(PROJECT)).isEqualTo(2);
  }

  @Test
  void theWatchEndsWhenNobodyWatches() throws Exception {
    start(500, 100);
    watchers.unwatch(PROJECT);
    watch.reconcile();
    assertThat(watch.isWatching(PROJECT)).isFalse();
    assertThat(watch.watchedDirectories(PROJECT)).isZero();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> data(WorkspaceEvent event) {
    return (Map<String, Object>) event.data();
  }

  @SuppressWarnings("unchecked")
  private List<String> allPaths() {
    return published.stream()
        .flatMap(e -> ((List<Map<String, String>>) data(e).get("changes")).stream())
        .map(c -> c.get("path"))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private void awaitChange(String path, String kind) throws InterruptedException {
    await(
        e ->
            ((List<Map<String, String>>) data(e).get("changes"))
                .contains(Map.of("path", path, "kind", kind)));
  }

  private void await(Predicate<WorkspaceEvent> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (WorkspaceEvent e : published) {
        assertThat(e.projectId()).isEqualTo(PROJECT);
        assertThat(e.type()).isEqualTo("files");
        if (wanted.test(e)) return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no such event within " + WAIT + "; got " + published);
  }
}
