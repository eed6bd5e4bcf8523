package dev.constellation.workspace.search;

import com.google.re2j.Matcher;
import dev.constellation.workspace.files.ProjectFiles;
import dev.constellation.workspace.files.ProjectWalker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Find in files on the server, for a stopped workspace (or the local runtime): the no-follow walk
 * of {@link ProjectWalker}, .gitignore files honoured as git does, binary and large files skipped
 * as ripgrep skips them.
 */
@Component
class WalkSearch {
  static final String ENGINE = "walk";

  /** Files ripgrep is told to skip too ({@code --max-filesize}). */
  static final long MAX_FILE_BYTES = 1024 * 1024;

  /** How far into a file a NUL byte marks it as binary (git looks at the same 8,000 bytes). */
  private static final int BINARY_PROBE = 8000;

  private final ProjectWalker walker;

  WalkSearch(ProjectWalker walker) {
    this.walker = walker;
  }

  void search(String projectId, SearchPattern pattern, Globs globs, SearchSink sink)
      throws IOException {
    GitIgnores ignores = new GitIgnores();
    walker.walk(
        projectId,
        new ProjectWalker.Visitor() {
          @Override
          public boolean enter(String path, byte @Nullable [] gitignore) {
            if (!path.isEmpty()) {
              String name = path.substring(path.lastIndexOf('/') + 1);
              if (name.equals(".git")
                  || ignores.ignored(path, true)
                  || globs.excludesDirectory(path)) return false;
            }
            ignores.push(path, gitignore);
            return true;
          }

          @Override
          public void leave(String path) {
            ignores.pop();
          }

          @Override
          public boolean wantsFile(String path, long size) {
            return size <= MAX_FILE_BYTES
                && !ignores.ignored(path, false)
                && globs.admitsFile(path);
          }

          @Override
          public boolean file(String path, byte[] content) {
            List<SearchResults.Match> matches = matches(content, pattern, sink.room());
            if (matches == null) return !sink.stopped();
            return sink.add(
                new SearchResults.FileMatches(path, ProjectFiles.etagOf(content), matches));
          }

          @Override
          public boolean stopped() {
            return sink.stopped();
          }
        });
  }

  /**
   * The matches in a file's lines, at most {@code room} of them (one more to tell that the cap was
   * reached); null for a binary file.
   */
  static @Nullable List<SearchResults.Match> matches(
      byte[] content, SearchPattern pattern, int room) {
    if (isBinary(content)) return null;
    String text = decode(content);
    List<SearchResults.Match> found = new ArrayList<>();
    int lineNumber = 0;
    int start = 0;
    while (start <= text.length() && found.size() <= room) {
      int end = text.indexOf('\n', start);
      if (end < 0) end = text.length();
      lineNumber++;
      int visibleEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      String line = text.substring(start, visibleEnd);
      Matcher m = pattern.matcher(line);
      while (m.find() && found.size() <= room) {
        if (m.end() == m.start()) continue;
        found.add(SearchResults.match(lineNumber, line, m.start(), m.end()));
      }
      if (end == text.length()) break;
      start = end + 1;
    }
    return found;
  }

  static boolean isBinary(byte[] content) {
    int probe = Math.min(content.length, BINARY_PROBE);
    for (int i = 0; i < probe; i++) if (content[i] == 0) return true;
    return false;
  }

  static boolean isUtf8(byte[] content) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** UTF-8, with what is not UTF-8 shown as replacement characters (as ripgrep does). */
  static String decode(byte[] content) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(content, StandardCharsets.UTF_8);
    }
  }
}
