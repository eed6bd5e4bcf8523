package dev.constellation.workspace.lifecycle;

import java.time.Instant;

/** A workspace as the API shows it. */
public record WorkspaceResponse(
    String projectId, WorkspaceStatus status, String runtime, Instant startedAt, Instant lastActivityAt) {}
