package dev.constellation.workspace.lifecycle;

/** Where a workspace is in its life, as the API reports it. */
public enum WorkspaceStatus {
  STOPPED,
  STARTING,
  RUNNING,
  STOPPING,
  FAILED
}
