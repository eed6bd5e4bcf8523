package dev.constellation.claude.edits;

import java.util.ArrayList;
import java.util.List;

/** A unified diff (as {@code diff -u} / {@code git diff} print it) between two texts, by lines. */
final class UnifiedDiff {
  private static final int CONTEXT = 3;
  // Past this many cells the LCS table costs too much memory; the diff becomes one whole-file hunk.
  private static final long MAX_CELLS = 4_000_000;

  private UnifiedDiff() {}

  private record Op(char kind, String line) {}

  static String of(String path, String before, String after) {
    List<String> a = lines(before);
    List<String> b = lines(after);
    List<Op> ops = ops(a, b);
    StringBuilder out = new StringBuilder();
    out.append("--- a/").append(path).append('\n').append("+++ b/").append(path).append('\n');
    int i = 0;
    int oldLine = 1;
    int newLine = 1;
    boolean changed = false;
    while (i < ops.size()) {
      if (ops.get(i).kind() == ' ') {
        i++;
        oldLine++;
        newLine++;
        continue;
      }
      changed = true;
      int start = Math.max(0, i - CONTEXT);
      int hunkOld = oldLine - (i - start);
      int hunkNew = newLine - (i - start);
      int end = i;
      int quiet = 0;
      // Changes closer than twice the context share a hunk.
      while (end < ops.size()) {
        if (ops.get(end).kind() == ' ') {
          if (quiet == 2 * CONTEXT) break;
          quiet++;
        } else {
          quiet = 0;
        }
        end++;
      }
      end -= Math.max(0, quiet - CONTEXT);
      int oldCount = 0;
      int newCount = 0;
      StringBuilder body = new StringBuilder();
      for (int k = start; k < end; k++) {
        Op op = ops.get(k);
        body.append(op.kind()).append(op.line()).append('\n');
        if (op.kind() != '+') oldCount++;
        if (op.kind() != '-') newCount++;
      }
      out.append("@@ -")
          .append(range(hunkOld, oldCount))
          .append(" +")
          .append(range(hunkNew, newCount))
          .append(" @@\n")
          .append(body);
      for (int k = i; k < end; k++) {
        char kind = ops.get(k).kind();
        if (kind != '+') oldLine++;
        if (kind != '-') newLine++;
      }
      i = end;
    }
    return changed ? out.toString() : "";
  }

  private static String range(int start, int count) {
    return (count == 0 ? start - 1 : start) + "," + count;
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
    return lines;
  }

  private static List<Op> ops(List<String> a, List<String> b) {
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) prefix++;
    int suffix = 0;
    while (suffix < a.size() - prefix
        && suffix < b.size() - prefix
        && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) suffix++;
    List<String> midA = a.subList(prefix, a.size() - suffix);
    List<String> midB = b.subList(prefix, b.size() - suffix);
    List<Op> ops = new ArrayList<>();
    for (int k = 0; k < prefix; k++) ops.add(new Op(' ', a.get(k)));
    int n = midA.size();
    int m = midB.size();
    if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
      midA.forEach(l -> ops.add(new Op('-', l)));
      midB.forEach(l -> ops.add(new Op('+', l)));
    } else {
      int[][] lcs = new int[n + 1][m + 1];
      for (int x = n - 1; x >= 0; x--) {
        for (int y = m - 1; y >= 0; y--) {
          lcs[x][y] =
              midA.get(x).equals(midB.get(y))
                  ? lcs[x + 1][y + 1] + 1
                  : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
        }
      }
      int x = 0;
      int y = 0;
      while (x < n || y < m) {
        if (x < n && y < m && midA.get(x).equals(midB.get(y))) {
          ops.add(new Op(' ', midA.get(x++)));
          y++;
        } else if (x < n && (y == m || lcs[x + 1][y] >= lcs[x][y + 1])) {
          ops.add(new Op('-', midA.get(x++)));
        } else {
          ops.add(new Op('+', midB.get(y++)));
        }
      }
    }
    for (int k = a.size() - suffix; k < a.size(); k++) ops.add(new Op(' ', a.get(k)));
    return ops;
  }
}
