package dev.constellation.workspace.lifecycle;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The state this service keeps per project; the container's labels say the same on the engine side.
 */
@Document("workspaces")
class WorkspaceRecord {
  @Id String projectId;
  WorkspaceStatus status;
  String runtime;
  Instant startedAt;
  Instant lastActivityAt;
  Instant updatedAt;
  String failure;

  /** When it was paused, and the memory it held then (a frozen workspace's memory cannot grow). */
  Instant pausedAt;

  Long pausedMemoryBytes;

  /** The owner's choices (null: the installation's default); applied at the next creation. */
  String image;

  Integer memoryMb;
  Double cpus;

  WorkspaceRecord() {}

  WorkspaceRecord(String projectId, String runtime) {
    this.projectId = projectId;
    this.runtime = runtime;
    this.status = WorkspaceStatus.STOPPED;
  }
}
