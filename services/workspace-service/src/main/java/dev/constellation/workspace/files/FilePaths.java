package dev.constellation.workspace.files;

import dev.constellation.common.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;

/** The lexical rules a path from the API must pass before it is looked at on disk. */
final class FilePaths {
  private static final int MAX_PATH_BYTES = 4096;
  private static final int MAX_NAME_BYTES = 255;

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
    if (path.indexOf('\\') >= 0) throw invalid("Paths use '/' as separator; backslashes are not allowed.");
    if (path.startsWith("/")) throw invalid("Paths are relative to the project root; absolute paths are not allowed.");
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) throw invalid("The path is too long.");
    String[] names = path.split("/", -1);
    for (String name : names) {
      if (name.isEmpty()) throw invalid("Paths may not contain empty segments ('//' or a trailing '/').");
      if (name.equals("..")) throw invalid("Paths may not contain '..'.");
      if (name.equals(".")) throw invalid("Paths may not contain '.' segments.");
      if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) throw invalid("A name in the path is too long.");
    }
    return List.of(names);
  }

  static ApiException invalid(String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid-path", "Invalid path", detail);
  }

  static ApiException symlink(String path) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid-path", "Invalid path",
        "'" + path + "' is or passes through a symbolic link; the files API does not follow symbolic links.");
  }
}
