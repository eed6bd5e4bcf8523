package dev.constellation.claude.upstream;

import java.util.List;

/**
 * What is sent to the model, in our own terms so that only this package knows the SDK.
 *
 * @param system system blocks, most stable first; a {@code cached} block ends a prompt-cache prefix
 * @param turns alternating user and assistant turns, oldest first, ending with a user turn
 * @param maxTokens max_tokens of the answer
 */
public record Prompt(List<SystemBlock> system, List<Turn> turns, int maxTokens) {

  public record SystemBlock(String text, boolean cached) {}

  /**
   * @param role "user" or "assistant"
   */
  public record Turn(String role, String text, boolean cached) {
    public static Turn user(String text) {
      return new Turn("user", text, false);
    }

    public static Turn assistant(String text) {
      return new Turn("assistant", text, false);
    }
  }
}
