package dev.constellation.localstack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An archive is used only for the jar, JVM and options it was recorded with. */
class ClassDataSharingTest {
  private static final List<String> OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-Xmx384m");

  @TempDir Path target;

  @Test
  void anArchiveIsUsedOnlyForTheJarAndOptionsItWasRecordedWith() throws Exception {
    Path bootJar = Files.writeString(target.resolve("project-service.jar"), "boot jar v1");
    ClassDataSharing sharing = new ClassDataSharing(bootJar, OPTIONS);
    assertFalse(sharing.ready(), "nothing recorded yet");
    assertFalse(sharing.markRecorded(), "no archive was written");

    record(sharing);
    assertTrue(sharing.ready());
    assertTrue(sharing.startArgs().containsAll(OPTIONS));
    assertTrue(sharing.startArgs().stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile=")));
    assertFalse(new ClassDataSharing(bootJar, List.of("-Xmx512m")).ready(), "other JVM options");

    Files.writeString(bootJar, "boot jar v2, rebuilt");
    assertFalse(sharing.ready(), "a rebuilt jar");
    record(sharing);
    Files.setLastModifiedTime(bootJar, FileTime.fromMillis(1_000));
    assertFalse(sharing.ready(), "a jar of the same size from another build");
  }

  /** What a recording start leaves: the unpacked jar and the archive. */
  private static void record(ClassDataSharing sharing) throws Exception {
    Files.createDirectories(sharing.unpackedJar().getParent());
    Files.writeString(sharing.unpackedJar(), "unpacked");
    Files.writeString(sharing.unpackedJar().getParent().resolveSibling("app.jsa"), "archive");
    assertTrue(sharing.markRecorded());
  }
}
