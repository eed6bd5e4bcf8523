package dev.constellation.claude.context;

/**
 * Estimated tokens of a text: characters / 4, rounded up. Claude's tokenizer averages about four
 * characters of English or code per token; an estimate avoids a count-tokens round trip before
 * every message, and the budget it guards has room to spare.
 */
public final class TokenEstimate {
  private TokenEstimate() {}

  public static int of(String text) {
    return text == null ? 0 : (text.length() + 3) / 4;
  }
}
