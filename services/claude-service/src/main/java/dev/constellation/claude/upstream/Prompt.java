package dev.constellation.claude.upstream;

import java.util.List;
import java.util.Map;

/**
 * What is sent to the model, in our own terms so that only this package knows the SDK.
 *
 * @param system system blocks, most stable first; a {@code cached} block ends a prompt-cache prefix
 * @param turns alternating user and assistant turns, oldest first, ending with a user turn
 * @param maxTokens max_tokens of the answer
 * @param tools tools the model may call (tool_choice auto); the last one carries the cache mark, so
 *     instructions and tools are one cached prefix
 */
public record Prompt(
    List<SystemBlock> system, List<Turn> turns, int maxTokens, List<ToolSpec> tools) {

  public Prompt(List<SystemBlock> system, List<Turn> turns, int maxTokens) {
    this(system, turns, maxTokens, List.of());
  }

  public record SystemBlock(String text, boolean cached) {}

  /** One content block of a turn. */
  public sealed interface Block permits Text, ToolUse, ToolResult {}

  public record Text(String text) implements Block {}

  /** A tool call of an assistant turn; {@code input} as plain maps, lists, strings and numbers. */
  public record ToolUse(String id, String name, Map<String, Object> input) implements Block {}

  /** The answer to a tool call, in the user turn that follows it. */
  public record ToolResult(String toolUseId, String content, boolean error) implements Block {}

  /**
   * @param role "user" or "assistant"
   * @param cached the cache mark goes on this turn's last block
   */
  public record Turn(String role, List<Block> blocks, boolean cached) {
    public Turn(String role, String text, boolean cached) {
      this(role, List.of(new Text(text)), cached);
    }

    public static Turn user(String text) {
      return new Turn("user", text, false);
    }

    public static Turn assistant(String text) {
      return new Turn("assistant", text, false);
    }

    /** The text blocks joined. */
    public String text() {
      StringBuilder out = new StringBuilder();
      for (Block b : blocks) if (b instanceof Text t) out.append(t.text());
      return out.toString();
    }
  }
}
