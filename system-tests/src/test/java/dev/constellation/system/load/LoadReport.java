package dev.constellation.system.load;

import java.util.Locale;
import java.util.Map;

/**
 * The run as markdown tables (per operation: count, errors, p50, p99, max; per process: resources)
 * and the benchmark's {@code SUMMARY|what|now|baseline|goal|met} lines, the baseline being one
 * developer working alone earlier in the same run.
 */
final class LoadReport {
  /** Under a second an interaction still feels immediate; echo must feel like typing (100 ms). */
  private static final double STEP_GOAL_MS = 1000;

  private static final double ECHO_GOAL_MS = 100;

  private LoadReport() {}

  static String render(LoadRun.Result r) {
    StringBuilder out = new StringBuilder();
    out.append("### Load: ").append(r.plan()).append('\n');
    double ops = r.crowd().totalOperations();
    out.append(
        String.format(
            Locale.ROOT,
            "%d operations in %.0f s of load (%.1f/s), %d errors (crowd %d, set-up %d, solo %d)%n%n",
            (long) ops,
            r.loadSeconds(),
            r.loadSeconds() > 0 ? ops / r.loadSeconds() : 0,
            r.errors(),
            r.crowd().totalErrors(),
            r.setUp().totalErrors(),
            r.solo().totalErrors()));
    out.append("| operation | count | errors | p50 ms | p99 ms | max ms | alone p50 ms |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    Map<String, Recorder.Stats> solo = r.solo().stats();
    for (Recorder.Stats s : r.crowd().stats().values()) {
      Recorder.Stats alone = solo.get(s.operation());
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %s | %s | %s | %s |%n",
              s.operation(),
              s.count(),
              s.errors(),
              ms(s.p50()),
              ms(s.p99()),
              ms(s.max()),
              alone == null ? "—" : ms(alone.p50())));
    }
    out.append("\nSet-up and leaving (not timed as load):\n\n");
    out.append("| operation | count | errors | p50 ms | p99 ms | max ms |\n");
    out.append("|---|---:|---:|---:|---:|---:|\n");
    for (Recorder.Stats s : r.setUp().stats().values())
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %s | %s | %s |%n",
              s.operation(),
              s.count(),
              s.errors(),
              ms(s.p50()),
              ms(s.p99()),
              ms(s.max())));
    out.append('\n').append(r.resources().table()).append('\n');
    var failures = new java.util.ArrayList<String>();
    failures.addAll(r.setUp().failures());
    failures.addAll(r.solo().failures());
    failures.addAll(r.crowd().failures());
    if (!failures.isEmpty()) {
      out.append("Failures (operation: cause ×count):\n");
      failures.stream().limit(40).forEach(f -> out.append("- ").append(f).append('\n'));
      out.append('\n');
    }
    out.append(summaries(r));
    return out.toString();
  }

  static String summaries(LoadRun.Result r) {
    String who = r.plan().users() + " users";
    StringBuilder s = new StringBuilder();
    long errors = r.errors();
    s.append(
        String.format(
            "SUMMARY|load %s × %d s: failed operations|%d of %d|%d of %d alone|0|%s%n",
            who,
            r.plan().duration().toSeconds(),
            errors,
            r.crowd().totalOperations() + r.setUp().totalOperations(),
            r.solo().totalErrors(),
            r.solo().totalOperations(),
            errors == 0 ? "yes" : "no"));
    Map<String, Recorder.Stats> crowd = r.crowd().stats();
    Map<String, Recorder.Stats> solo = r.solo().stats();
    for (String op :
        new String[] {
          "terminal command", "save file", "read file", "exec", "open terminal", "ai stream"
        }) {
      Recorder.Stats now = crowd.get(op);
      if (now == null) continue;
      Recorder.Stats alone = solo.get(op);
      boolean ai = op.equals("ai stream");
      double goal =
          op.equals("terminal command")
              ? ECHO_GOAL_MS
              : ai && alone != null ? 2 * alone.p50() : STEP_GOAL_MS;
      s.append(
          String.format(
              Locale.ROOT,
              "SUMMARY|load %s: %s p99|%s ms|%s ms alone (p50)|≤ %s ms|%s%n",
              who,
              op,
              ms(now.p99()),
              alone == null ? "—" : ms(alone.p50()),
              ms(goal),
              now.p99() <= goal ? "yes" : "no"));
    }
    return s.toString();
  }

  private static String ms(double v) {
    if (Double.isNaN(v)) return "—";
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
