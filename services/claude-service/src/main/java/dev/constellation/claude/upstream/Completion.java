package dev.constellation.claude.upstream;

/** A finished answer: its text, its tokens, and why the model stopped. */
public record Completion(String text, TokenUsage usage, String stopReason) {}
