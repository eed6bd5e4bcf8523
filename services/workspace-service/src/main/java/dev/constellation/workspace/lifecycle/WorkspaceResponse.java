package dev.constellation.workspace.lifecycle;

import dev.constellation.workspace.runtime.NetworkInfo;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A workspace as the API shows it.
 *
 * @param network what its network allows (null for the local runtime): says so when egress was
 *     asked for but is off because its firewall could not be installed
 */
public record WorkspaceResponse(
    String projectId,
    WorkspaceStatus status,
    String runtime,
    @Nullable Instant startedAt,
    @Nullable Instant lastActivityAt,
    @Nullable NetworkInfo network) {}
