package dev.constellation.workspace.files;

/**
 * A project's files were deleted for good (project-service's deletion cascade); features that keep
 * data about those files (checkpoints) drop it too.
 */
public record ProjectFilesDeleted(String projectId) {}
