package dev.constellation.claude.context;

import java.util.List;

/**
 * Decides which past messages go into a prompt verbatim and which are folded into a summary. The
 * newest turns are kept up to half the budget; once the rest of the unsummarized history would push
 * past the budget, everything older than the kept turns is summarized at once, so that summaries
 * happen rarely rather than on every message.
 */
public final class HistoryWindow {

  /** A stored message reduced to what the window needs. */
  public record Entry(String id, String role, String text) {}

  /**
   * @param summarize entries to fold into the summary now (with the old summary), oldest first;
   *     empty = none
   * @param keep entries sent verbatim, oldest first; starts with a user turn
   */
  public record Plan(List<Entry> summarize, List<Entry> keep) {}

  private HistoryWindow() {}

  /**
   * @param unsummarized messages after the last summary, oldest first
   * @param summaryTokens estimated tokens of the existing summary (0 if none)
   * @param budget estimated tokens allowed for summary plus history
   */
  public static Plan plan(List<Entry> unsummarized, int summaryTokens, int budget) {
    int total = summaryTokens;
    for (Entry e : unsummarized) total += TokenEstimate.of(e.text());
    if (total <= budget) {
      return new Plan(List.of(), startAtUser(unsummarized, 0));
    }
    int kept = 0;
    int start = unsummarized.size();
    while (start > 0 && kept + TokenEstimate.of(unsummarized.get(start - 1).text()) <= budget / 2) {
      start--;
      kept += TokenEstimate.of(unsummarized.get(start).text());
    }
    // A kept window must open with the user's turn; an assistant turn at its edge is summarized.
    while (start < unsummarized.size() && !"user".equals(unsummarized.get(start).role())) start++;
    return new Plan(
        List.copyOf(unsummarized.subList(0, start)),
        List.copyOf(unsummarized.subList(start, unsummarized.size())));
  }

  private static List<Entry> startAtUser(List<Entry> entries, int from) {
    int start = from;
    while (start < entries.size() && !"user".equals(entries.get(start).role())) start++;
    return List.copyOf(entries.subList(start, entries.size()));
  }
}
