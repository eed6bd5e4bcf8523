package dev.constellation.claude.upstream;

import java.util.Map;

/** The input the model gave a tool, as plain maps, lists, strings and numbers. */
public record ToolCall(String name, Map<String, Object> input, TokenUsage usage) {}
