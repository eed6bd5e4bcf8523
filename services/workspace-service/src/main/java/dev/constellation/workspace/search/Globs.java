package dev.constellation.workspace.search;

import dev.constellation.common.problem.ApiException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.ignore.FastIgnoreRule;

/**
 * Include and exclude globs in .gitignore syntax, matched by JGit's rules — the syntax ripgrep's
 * {@code --glob} also follows. An exclude matching a directory skips everything in it; with
 * includes, only files matching one of them are searched.
 */
final class Globs {
  private static final int MAX_GLOB_CHARS = 500;

  private final List<FastIgnoreRule> include;
  private final List<FastIgnoreRule> exclude;
  private final List<String> includeText;
  private final List<String> excludeText;

  private Globs(List<String> include, List<String> exclude) {
    this.includeText = include;
    this.excludeText = exclude;
    this.include = include.stream().map(FastIgnoreRule::new).toList();
    this.exclude = exclude.stream().map(FastIgnoreRule::new).toList();
  }

  static Globs of(List<String> include, List<String> exclude) {
    return new Globs(clean("include", include), clean("exclude", exclude));
  }

  private static List<String> clean(String field, List<String> globs) {
    List<String> kept = new ArrayList<>();
    for (String glob : globs) {
      if (glob == null) continue;
      String g = glob.trim();
      if (g.isEmpty()) continue;
      if (g.length() > MAX_GLOB_CHARS)
        throw ApiException.validation(field, "A glob may be at most 500 characters.");
      for (int i = 0; i < g.length(); i++) {
        if (g.charAt(i) < 0x20)
          throw ApiException.validation(field, "Globs may not contain control characters.");
      }
      if (g.startsWith("!"))
        throw ApiException.validation(
            field, "Globs may not start with '!'; put the files to leave out under exclude.");
      if (g.startsWith("#") || g.startsWith("\\"))
        throw ApiException.validation(field, "Globs may not start with '#' or '\\'.");
      kept.add(g);
    }
    return List.copyOf(kept);
  }

  List<String> includes() {
    return includeText;
  }

  List<String> excludes() {
    return excludeText;
  }

  boolean excludesDirectory(String path) {
    for (FastIgnoreRule rule : exclude) if (rule.isMatch(path, true)) return true;
    return false;
  }

  boolean admitsFile(String path) {
    for (FastIgnoreRule rule : exclude) if (rule.isMatch(path, false)) return false;
    if (include.isEmpty()) return true;
    for (FastIgnoreRule rule : include) if (rule.isMatch(path, false)) return true;
    return false;
  }
}
