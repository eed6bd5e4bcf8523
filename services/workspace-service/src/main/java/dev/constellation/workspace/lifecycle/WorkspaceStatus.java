package dev.constellation.workspace.lifecycle;

/** Where a workspace is in its life, as the API reports it. */
public enum WorkspaceStatus {
  STOPPED,
  STARTING,
  RUNNING,
  /** Frozen while idle: keeps its memory, terminals and servers; the next use resumes it. */
  PAUSED,
  STOPPING,
  FAILED
}
