package dev.constellation.workspace.git;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file's {@code git diff -U0} split into its header and hunks, so that a chosen subset can be
 * given back to {@code git apply --cached --unidiff-zero}. Git writes and reads the patch; this
 * only cuts it at the {@code @@} lines.
 */
record DiffHunks(String header, List<Hunk> hunks) {

  /** A hunk as the UI lists it; {@code text} is the patch text from its {@code @@} line on. */
  record Hunk(
      int index,
      String header,
      int oldStart,
      int oldLines,
      int newStart,
      int newLines,
      String text) {}

  private static final Pattern HUNK =
      Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*$");

  static DiffHunks parse(String diff) {
    StringBuilder header = new StringBuilder();
    List<Hunk> hunks = new ArrayList<>();
    StringBuilder current = null;
    Matcher start = null;
    for (String line : diff.split("\n", -1)) {
      Matcher m = HUNK.matcher(line);
      if (m.matches()) {
        if (current != null) hunks.add(hunk(hunks.size(), start, current));
        current = new StringBuilder();
        start = m;
      }
      if (current != null) current.append(line).append('\n');
      else header.append(line).append('\n');
    }
    if (current != null) hunks.add(hunk(hunks.size(), start, current));
    return new DiffHunks(header.toString(), List.copyOf(hunks));
  }

  private static Hunk hunk(int index, Matcher m, StringBuilder text) {
    // The split left one empty line after the last newline of the diff: drop it.
    String body = text.toString();
    while (body.endsWith("\n\n")) body = body.substring(0, body.length() - 1);
    return new Hunk(
        index,
        m.group(0),
        Integer.parseInt(m.group(1)),
        m.group(2) == null ? 1 : Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)),
        m.group(4) == null ? 1 : Integer.parseInt(m.group(4)),
        body);
  }

  /** The patch of only the hunks at {@code indexes}, in the diff's order. */
  String patchOf(java.util.Set<Integer> indexes) {
    StringBuilder patch = new StringBuilder(header.stripTrailing()).append('\n');
    for (Hunk h : hunks) if (indexes.contains(h.index())) patch.append(h.text());
    return patch.toString();
  }
}
