package dev.constellation.system.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Every operation's latency and every failure with its cause, from all developers at once. */
final class Recorder {
  /** One operation's numbers, in milliseconds. */
  record Stats(String operation, int count, long errors, double p50, double p99, double max) {}

  private final Map<String, ConcurrentLinkedQueue<Long>> nanos = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> causes = new ConcurrentHashMap<>();

  void ok(String operation, long elapsedNanos) {
    nanos.computeIfAbsent(operation, k -> new ConcurrentLinkedQueue<>()).add(elapsedNanos);
  }

  /** A failure: counted for its operation, and its cause kept (grouped, so a flood stays short). */
  void failed(String operation, String cause) {
    nanos.computeIfAbsent(operation, k -> new ConcurrentLinkedQueue<>());
    errors.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    // Without the problem's requestId, which makes every answer unique and defeats the grouping.
    String shortCause =
        cause == null
            ? "?"
            : cause.replaceAll("\\s+", " ").replaceAll(",?\"requestId\":\"[^\"]*\"", "");
    if (shortCause.length() > 300) shortCause = shortCause.substring(0, 300) + "…";
    causes.computeIfAbsent(operation + ": " + shortCause, k -> new AtomicLong()).incrementAndGet();
  }

  long totalErrors() {
    return errors.values().stream().mapToLong(AtomicLong::get).sum();
  }

  long totalOperations() {
    return nanos.values().stream().mapToLong(q -> q.size()).sum() + totalErrors();
  }

  /** "operation: cause ×count", most frequent first. */
  List<String> failures() {
    List<String> lines = new ArrayList<>();
    causes.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()))
        .forEach(e -> lines.add(e.getKey() + " ×" + e.getValue().get()));
    return lines;
  }

  Map<String, Stats> stats() {
    Map<String, Stats> all = new TreeMap<>();
    for (var e : nanos.entrySet()) {
      long[] sorted = e.getValue().stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(sorted);
      long failed = errors.getOrDefault(e.getKey(), new AtomicLong()).get();
      all.put(
          e.getKey(),
          new Stats(
              e.getKey(),
              sorted.length,
              failed,
              percentile(sorted, 0.50),
              percentile(sorted, 0.99),
              sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6));
    }
    return all;
  }

  /** Nearest-rank percentile of successful operations, in ms; NaN when none succeeded. */
  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }
}
