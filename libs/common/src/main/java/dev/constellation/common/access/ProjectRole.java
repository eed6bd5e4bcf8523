package dev.constellation.common.access;

/** A member's role in a project, weakest first. */
public enum ProjectRole {
  VIEWER,
  EDITOR,
  OWNER;

  public boolean allows(ProjectAction action) {
    return ordinal() >= action.minimumRole().ordinal();
  }
}
