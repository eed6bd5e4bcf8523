package dev.constellation.workspace.lifecycle;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A workspace as the API shows it. */
public record WorkspaceResponse(
    String projectId,
    WorkspaceStatus status,
    String runtime,
    @Nullable Instant startedAt,
    @Nullable Instant lastActivityAt) {}
