package dev.constellation.workspace.runtime;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a command ended; see {@link ExecResult} for the fields, which it shares.
 *
 * @param cancelled the caller ended it ({@link RunningCommand#kill}) before it exited
 */
public record CommandEnd(
    int exitCode,
    boolean timedOut,
    @Nullable String killedBy,
    List<String> limitsReached,
    boolean cancelled) {}
