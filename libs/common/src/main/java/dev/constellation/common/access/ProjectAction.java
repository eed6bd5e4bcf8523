package dev.constellation.common.access;

/** What a caller may want to do to a project, with the least role that allows it. */
public enum ProjectAction {
  /** Read metadata, files and conversations. */
  READ(ProjectRole.VIEWER),
  /** Write files, exec, open terminals, start/stop the workspace, talk to the AI. */
  WRITE(ProjectRole.EDITOR),
  /** Manage members, delete the project. */
  OWN(ProjectRole.OWNER);

  private final ProjectRole minimumRole;

  ProjectAction(ProjectRole minimumRole) {
    this.minimumRole = minimumRole;
  }

  public ProjectRole minimumRole() {
    return minimumRole;
  }
}
