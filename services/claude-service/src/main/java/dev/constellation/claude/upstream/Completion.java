package dev.constellation.claude.upstream;

import java.util.List;

/**
 * A finished answer: its text, its tokens, why the model stopped, and its content blocks (text and
 * tool_use, in order).
 */
public record Completion(
    String text, TokenUsage usage, String stopReason, List<Prompt.Block> blocks) {
  public Completion(String text, TokenUsage usage, String stopReason) {
    this(text, usage, stopReason, List.of(new Prompt.Text(text)));
  }

  public List<Prompt.ToolUse> toolUses() {
    return blocks.stream()
        .filter(b -> b instanceof Prompt.ToolUse)
        .map(b -> (Prompt.ToolUse) b)
        .toList();
  }
}
