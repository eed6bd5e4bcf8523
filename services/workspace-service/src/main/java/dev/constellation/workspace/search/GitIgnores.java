package dev.constellation.workspace.search;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.eclipse.jgit.ignore.IgnoreNode;
import org.jspecify.annotations.Nullable;

/**
 * The .gitignore files of the directories a walk is in, innermost first: the deepest file that says
 * anything about a path decides, as in git.
 */
final class GitIgnores {
  private record Level(String directory, @Nullable IgnoreNode node) {}

  private final Deque<Level> levels = new ArrayDeque<>();

  void push(String directory, byte @Nullable [] gitignore) {
    IgnoreNode node = null;
    if (gitignore != null) {
      node = new IgnoreNode();
      try {
        node.parse(new ByteArrayInputStream(gitignore));
      } catch (IOException e) {
        node = null;
      }
    }
    levels.push(new Level(directory, node));
  }

  void pop() {
    levels.pop();
  }

  boolean ignored(String path, boolean directory) {
    for (Iterator<Level> it = levels.iterator(); it.hasNext(); ) {
      Level level = it.next();
      if (level.node() == null) continue;
      String relative =
          level.directory().isEmpty() ? path : path.substring(level.directory().length() + 1);
      Boolean verdict = level.node().checkIgnored(relative, directory);
      if (verdict != null) return verdict;
    }
    return false;
  }
}
