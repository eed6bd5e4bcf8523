package dev.constellation.workspace.search;

import java.util.List;

/** What a replace (or its undo) did, file by file. */
record ReplaceResults(List<Changed> changed, List<Skipped> skipped, String undoId) {
  /** A file rewritten, with its new ETag. */
  record Changed(String path, int replacements, String etag) {}

  /** A file left as it was, and why, in words for the user. */
  record Skipped(String path, String reason) {}

  /** What an undo restored and what it left because it changed since the replace. */
  record Undone(List<Changed> restored, List<Skipped> skipped) {}
}
