package dev.constellation.workspace.files;

import dev.constellation.common.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import org.springframework.http.HttpStatus;

/** The lexical rules a path from the API must pass before it is looked at on disk. */
final class FilePaths {
  private static final int MAX_PATH_BYTES = 4096;
  private static final int MAX_NAME_BYTES = 255;

  // Slashes, backslashes and dots from other blocks: harmless to the kernel, but a reader (or a
  // later normalization) takes them for the real thing.
  private static final String LOOK_ALIKES =
      "\u2215\u2044\u29f8\u2571\uff0f\u29f5\u29f9\ufe68\uff3c\u2216" + "\u2024\u2025";

  private FilePaths() {}

  /**
   * Splits a path relative to the project root into its names. {@code ""} (or null) is the root,
   * allowed only when {@code rootAllowed}.
   */
  static List<String> parse(String path, boolean rootAllowed) {
    if (path == null || path.isEmpty()) {
      if (rootAllowed) return List.of();
      throw invalid("This operation needs a path inside the project, not the project root.");
    }
    if (path.indexOf('\0') >= 0) throw invalid("Paths may not contain NUL bytes.");
    if (path.indexOf('\\') >= 0)
      throw invalid("Paths use '/' as separator; backslashes are not allowed.");
    if (path.startsWith("/"))
      throw invalid("Paths are relative to the project root; absolute paths are not allowed.");
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES)
      throw invalid("The path is too long.");
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f) throw invalid("Paths may not contain control characters.");
      if (LOOK_ALIKES.indexOf(c) >= 0)
        throw invalid("Paths may not contain characters that look like '/', '\\' or '.'.");
    }
    // What a path normalizes to (NFKC) must not gain a separator or a dot segment it did not show.
    String folded = Normalizer.normalize(path, Normalizer.Form.NFKC);
    if (count(folded, '/') != count(path, '/') || folded.indexOf('\\') >= 0) {
      throw invalid("Paths may not contain characters that look like '/' or '\\'.");
    }
    for (String name : folded.split("/", -1)) {
      if (name.equals("..") || name.equals("."))
        throw invalid("Paths may not contain characters that look like '.' segments.");
    }
    String[] names = path.split("/", -1);
    for (String name : names) {
      if (name.isEmpty())
        throw invalid("Paths may not contain empty segments ('//' or a trailing '/').");
      if (name.equals("..")) throw invalid("Paths may not contain '..'.");
      if (name.equals(".")) throw invalid("Paths may not contain '.' segments.");
      if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES)
        throw invalid("A name in the path is too long.");
    }
    return List.of(names);
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) == c) n++;
    return n;
  }

  static ApiException invalid(String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid-path", "Invalid path", detail);
  }

  static ApiException symlink(String path) {
    return new ApiException(
        HttpStatus.BAD_REQUEST,
        "invalid-path",
        "Invalid path",
        "'"
            + path
            + "' is or passes through a symbolic link; the files API does not follow symbolic links.");
  }
}
