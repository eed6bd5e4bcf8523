package dev.constellation.workspace.search;

import java.util.List;

/** The wire records of a find in files, one NDJSON line each (see docs/api-contract.md). */
final class SearchResults {
  private SearchResults() {}

  /**
   * One match. {@code line} and {@code column} count from 1, columns and {@code length} in UTF-16
   * code units (what the editor counts); {@code text} is the line, or for a long line a window of
   * it starting at {@code textOffset}.
   */
  record Match(int line, int column, int length, String text, int textOffset) {}

  /** A file's matches and the ETag of the content they were found in (for replace). */
  record FileMatches(String path, String etag, List<Match> matches) {}

  /**
   * The last line. {@code limitHit}: the match cap was reached; {@code timedOut}: the time bound
   * was; {@code truncated}: either, so more matches may exist. {@code engine}: {@code ripgrep} (in
   * the running workspace) or {@code walk} (on the server).
   */
  record Done(
      boolean done,
      int files,
      int matches,
      boolean truncated,
      boolean limitHit,
      boolean timedOut,
      String engine) {}

  static final int MAX_TEXT = 500;
  private static final int CONTEXT_BEFORE = 100;

  /** The match at {@code start}..{@code end} (0-based, UTF-16) of {@code line}. */
  static Match match(int lineNumber, String line, int start, int end) {
    if (line.length() <= MAX_TEXT) return new Match(lineNumber, start + 1, end - start, line, 0);
    int from = Math.max(0, Math.min(start - CONTEXT_BEFORE, line.length() - MAX_TEXT));
    if (from > 0 && Character.isLowSurrogate(line.charAt(from))) from--;
    int to = Math.min(line.length(), from + MAX_TEXT);
    if (to < line.length() && Character.isLowSurrogate(line.charAt(to))) to--;
    return new Match(lineNumber, start + 1, end - start, line.substring(from, to), from);
  }
}
