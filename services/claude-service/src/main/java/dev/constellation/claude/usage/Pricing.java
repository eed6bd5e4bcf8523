package dev.constellation.claude.usage;

import dev.constellation.claude.upstream.TokenUsage;
import java.util.Map;

/**
 * What a model call costs in US dollars, from Anthropic's published prices per million tokens.
 * Prices are matched by model-name prefix so that dated snapshots ({@code claude-sonnet-4-5-2025…})
 * cost what their family costs; an unknown model is priced like Sonnet rather than as free, so a
 * budget report never under-states spend.
 */
public final class Pricing {

  /** US dollars per million tokens. */
  public record Rates(double input, double output, double cacheWrite, double cacheRead) {}

  private static final Rates SONNET = new Rates(3.00, 15.00, 3.75, 0.30);

  // Longest prefix first: "claude-opus-4-5" must not be priced as "claude-opus-4".
  private static final Map.Entry<String, Rates>[] TABLE =
      orderedEntries(
          Map.entry("claude-opus-4-5", new Rates(5.00, 25.00, 6.25, 0.50)),
          Map.entry("claude-opus-4", new Rates(15.00, 75.00, 18.75, 1.50)),
          Map.entry("claude-sonnet-4", SONNET),
          Map.entry("claude-3-7-sonnet", SONNET),
          Map.entry("claude-haiku-4-5", new Rates(1.00, 5.00, 1.25, 0.10)),
          Map.entry("claude-3-5-haiku", new Rates(0.80, 4.00, 1.00, 0.08)));

  private Pricing() {}

  public static Rates rates(String model) {
    if (model != null) {
      for (Map.Entry<String, Rates> e : TABLE) {
        if (model.startsWith(e.getKey())) return e.getValue();
      }
    }
    return SONNET;
  }

  public static double costUsd(String model, TokenUsage usage) {
    if (usage == null) return 0;
    Rates r = rates(model);
    return (usage.inputTokens() * r.input()
            + usage.outputTokens() * r.output()
            + usage.cacheCreationInputTokens() * r.cacheWrite()
            + usage.cacheReadInputTokens() * r.cacheRead())
        / 1_000_000d;
  }

  /** Share of the prompt served from the cache: cache reads over everything that was input. */
  public static double cacheHitRate(TokenUsage usage) {
    long prompt =
        usage.inputTokens() + usage.cacheReadInputTokens() + usage.cacheCreationInputTokens();
    return prompt == 0 ? 0 : (double) usage.cacheReadInputTokens() / prompt;
  }

  @SafeVarargs
  private static Map.Entry<String, Rates>[] orderedEntries(Map.Entry<String, Rates>... entries) {
    return entries;
  }
}
