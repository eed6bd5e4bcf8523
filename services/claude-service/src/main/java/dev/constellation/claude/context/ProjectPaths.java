package dev.constellation.claude.context;

import dev.constellation.claude.config.InvalidFieldException;

/**
 * Relative paths inside a project, checked the same way wherever a caller or the model names one.
 */
public final class ProjectPaths {
  private static final int MAX_LENGTH = 1024;

  private ProjectPaths() {}

  /** The reason {@code path} is unacceptable, or null when it is a clean relative path. */
  public static String problem(String path) {
    if (path == null || path.isBlank()) return "is empty";
    if (path.length() > MAX_LENGTH) return "is longer than " + MAX_LENGTH + " characters";
    if (path.indexOf('\0') >= 0) return "contains a NUL byte";
    if (path.indexOf('\\') >= 0) return "contains a backslash";
    if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) return "is absolute";
    for (int i = 0; i < path.length(); i++) {
      if (Character.isISOControl(path.charAt(i))) return "contains a control character";
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) return "leaves the project (..)";
      if (segment.isEmpty() || segment.equals(".")) return "has an empty or '.' segment";
    }
    return null;
  }

  /** Returns {@code path} or fails with a 400 problem naming {@code field}. */
  public static String require(String field, String path) {
    String problem = problem(path);
    if (problem != null) {
      throw new InvalidFieldException(
          field,
          field
              + " '"
              + printable(path)
              + "' "
              + problem
              + "; use a path relative to the project root.");
    }
    return path;
  }

  private static String printable(String path) {
    if (path == null) return "";
    String cleaned = path.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() > 120 ? cleaned.substring(0, 120) + "…" : cleaned;
  }
}
