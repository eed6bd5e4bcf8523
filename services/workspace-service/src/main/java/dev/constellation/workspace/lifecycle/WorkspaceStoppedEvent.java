package dev.constellation.workspace.lifecycle;

/** Published after a workspace stopped or was removed, so that its terminals can be closed. */
public record WorkspaceStoppedEvent(String projectId) {}
