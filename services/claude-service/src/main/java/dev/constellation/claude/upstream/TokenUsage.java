package dev.constellation.claude.upstream;

/**
 * Tokens of one upstream call as Anthropic reports them; {@code inputTokens} excludes the cached
 * parts, which are counted in the two cache fields.
 */
public record TokenUsage(
    long inputTokens, long outputTokens, long cacheReadInputTokens, long cacheCreationInputTokens) {
  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);

  /** Every token processed, cached or not: what a budget is charged. */
  public long total() {
    return inputTokens + outputTokens + cacheReadInputTokens + cacheCreationInputTokens;
  }

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cacheReadInputTokens + other.cacheReadInputTokens,
        cacheCreationInputTokens + other.cacheCreationInputTokens);
  }
}
