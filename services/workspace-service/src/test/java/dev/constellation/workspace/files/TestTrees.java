package dev.constellation.workspace.files;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.constellation.workspace.config.ProjectDirectories;
import dev.constellation.workspace.config.ProjectFileOwner;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.util.unit.DataSize;

/** The files layer over a temporary WORKSPACES_ROOT, for tests of features that walk it. */
public final class TestTrees {
  private TestTrees() {}

  public static ProjectWalker walker(Path root) throws IOException {
    return new ProjectWalker(tree(root));
  }

  static ProjectTree tree(Path root) throws IOException {
    ProjectDirectories directories = mock(ProjectDirectories.class);
    when(directories.root()).thenReturn(root);
    DiskProperties disk =
        new DiskProperties(
            DataSize.ofMegabytes(100),
            DataSize.ofMegabytes(10),
            1000,
            DataSize.ofMegabytes(100),
            100,
            DataSize.ofMegabytes(1));
    return new ProjectTree(directories, new ProjectFileOwner(-1), disk);
  }
}
