package dev.constellation.workspace.git;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The repository's state as the Source Control panel shows it, read from {@code git status
 * --porcelain=v2 -z --branch} (a format git promises to keep stable for scripts).
 *
 * @param index the staged change: {@code M A D R C U ?} or {@code .} for none
 * @param worktree the unstaged change, same letters
 */
record GitStatus(
    boolean repository,
    @Nullable String branch,
    boolean detached,
    @Nullable String upstream,
    int ahead,
    int behind,
    boolean merging,
    boolean rebasing,
    List<FileStatus> files) {

  record FileStatus(
      String path, @Nullable String origPath, String index, String worktree, boolean conflicted) {}

  static GitStatus notARepository() {
    return new GitStatus(false, null, false, null, 0, 0, false, false, List.of());
  }

  GitStatus withOperations(boolean merging, boolean rebasing) {
    return new GitStatus(
        repository, branch, detached, upstream, ahead, behind, merging, rebasing, files);
  }

  /** Parses the NUL-separated porcelain v2 records, branch headers included. */
  static GitStatus parse(String porcelain) {
    String branch = null;
    boolean detached = false;
    String upstream = null;
    int ahead = 0;
    int behind = 0;
    List<FileStatus> files = new ArrayList<>();
    String[] records = porcelain.split("\0", -1);
    for (int i = 0; i < records.length; i++) {
      String line = records[i];
      if (line.isEmpty()) continue;
      switch (line.charAt(0)) {
        case '#' -> {
          String[] parts = line.split(" ", 3);
          if (parts.length < 3) break;
          switch (parts[1]) {
            case "branch.head" -> {
              detached = parts[2].equals("(detached)");
              branch = detached ? null : parts[2];
            }
            case "branch.upstream" -> upstream = parts[2];
            case "branch.ab" -> {
              String[] ab = parts[2].split(" ");
              ahead = Integer.parseInt(ab[0].substring(1));
              behind = Integer.parseInt(ab[1].substring(1));
            }
            default -> {
              // branch.oid and headers of later git versions are not shown
            }
          }
        }
        case '1' -> {
          // 1 XY sub mH mI mW hH hI path
          String[] f = line.split(" ", 9);
          files.add(entry(f[1], f[8], null, false));
        }
        case '2' -> {
          // 2 XY sub mH mI mW hH hI Xscore path, then the original path as the next record
          String[] f = line.split(" ", 10);
          String orig = i + 1 < records.length ? records[++i] : null;
          files.add(entry(f[1], f[9], orig, false));
        }
        case 'u' -> {
          // u XY sub m1 m2 m3 mW h1 h2 h3 path
          String[] f = line.split(" ", 11);
          files.add(new FileStatus(f[10], null, "U", "U", true));
        }
        case '?' -> files.add(new FileStatus(line.substring(2), null, "?", "?", false));
        default -> {
          // '!' (ignored files) is not asked for
        }
      }
    }
    return new GitStatus(true, branch, detached, upstream, ahead, behind, false, false, files);
  }

  private static FileStatus entry(String xy, String path, @Nullable String orig, boolean conflict) {
    // Type changes (T) are shown as modifications: the panel has no separate state for them.
    String x = letter(xy.charAt(0));
    String y = letter(xy.charAt(1));
    return new FileStatus(path, orig, x, y, conflict);
  }

  private static String letter(char c) {
    return c == 'T' ? "M" : String.valueOf(c);
  }
}
