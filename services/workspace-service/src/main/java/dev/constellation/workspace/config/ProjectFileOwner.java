package dev.constellation.workspace.config;

/**
 * Who must own the project files this service creates. Under Docker the workspace's processes run
 * as the image's user, so a service running as root hands new files to that uid; with the local
 * runtime the processes run as the service's own user (with every capability dropped), so the files
 * stay the service's.
 *
 * @param workspaceUid the uid to hand new files to, or -1 to keep the service's own
 */
public record ProjectFileOwner(int workspaceUid) {
  public boolean handsFilesOver() {
    return workspaceUid >= 0;
  }
}
