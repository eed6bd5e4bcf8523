package dev.constellation.workspace.runtime;

/** Outcome of one command; output is cut at the requested cap, and {@code timedOut} says it was killed. */
public record ExecResult(int exitCode, String stdout, String stderr, boolean timedOut) {}
