package dev.constellation.workspace.git;

import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.files.WorkingTree;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * First, lexical checks of names from the API before they reach git's argv; {@code git
 * check-ref-format --branch} has the last word on branch names.
 */
final class GitNames {
  private static final int MAX_NAME_CHARS = 250;

  private GitNames() {}

  static String requireBranch(@Nullable String name, String field) {
    if (name == null || name.isBlank())
      throw ApiException.validation(field, "Enter a branch name.");
    if (name.length() > MAX_NAME_CHARS)
      throw ApiException.validation(
          field, "A branch name has at most " + MAX_NAME_CHARS + " characters.");
    if (name.startsWith("-"))
      throw ApiException.validation(field, "A branch name may not begin with '-'.");
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?'
          || c == '*' || c == '[' || c == '\\')
        throw ApiException.validation(
            field, "A branch name may not contain spaces or any of ~ ^ : ? * [ \\.");
    }
    return name;
  }

  static String requireRemote(@Nullable String name) {
    if (name == null) return "origin";
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}"))
      throw ApiException.validation("remote", "A remote name uses letters, digits, '.', '_', '-'.");
    return name;
  }

  static List<String> requirePaths(@Nullable List<String> paths) {
    if (paths == null || paths.isEmpty())
      throw ApiException.validation("paths", "Name at least one file.");
    if (paths.size() > 10_000)
      throw ApiException.validation("paths", "At most 10,000 files at once.");
    for (String p : paths) WorkingTree.requireValidPath(p);
    return paths;
  }
}
