package dev.constellation.workspace.search;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where an engine's results go: one NDJSON line per file, flushed at once so the IDE shows it while
 * the search goes on, cut at the match cap and the deadline.
 */
final class SearchSink {
  private final OutputStream out;
  private final JsonMapper json;
  private final int cap;
  private final long deadline;
  private int files;
  private int matches;
  private boolean limitHit;
  private boolean timedOut;

  SearchSink(OutputStream out, JsonMapper json, int cap, long deadlineNanos) {
    this.out = out;
    this.json = json;
    this.cap = cap;
    this.deadline = deadlineNanos;
  }

  /** Room for this many more matches. */
  int room() {
    return cap - matches;
  }

  /** Writes a file's matches, cut at the cap; false once no more are wanted. */
  boolean add(SearchResults.FileMatches file) {
    if (file.matches().isEmpty()) return !stopped();
    List<SearchResults.Match> kept = file.matches();
    if (kept.size() >= room()) {
      kept = kept.subList(0, room());
      limitHit = true;
    }
    if (!kept.isEmpty()) {
      files++;
      matches += kept.size();
      write(new SearchResults.FileMatches(file.path(), file.etag(), List.copyOf(kept)));
    }
    return !stopped();
  }

  /** Notes that the cap was reached while results were still coming. */
  void limitHit() {
    limitHit = true;
  }

  boolean stopped() {
    if (limitHit) return true;
    if (System.nanoTime() - deadline > 0) timedOut = true;
    return timedOut;
  }

  void timedOut() {
    timedOut = true;
  }

  void done(String engine) {
    write(
        new SearchResults.Done(
            true, files, matches, limitHit || timedOut, limitHit, timedOut, engine));
  }

  private void write(Object line) {
    try {
      out.write(json.writeValueAsBytes(line));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
