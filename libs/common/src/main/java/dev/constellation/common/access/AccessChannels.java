package dev.constellation.common.access;

/** Redis pub/sub channels through which services learn of changes they cache or react to. */
public final class AccessChannels {
  private AccessChannels() {}

  /** Message: a project id whose membership changed or which was deleted. */
  public static final String ACCESS_CHANGED = "constellation:access-changed";

  /** Message: a project id on which a user just did something (keeps the workspace awake). */
  public static final String WORKSPACE_ACTIVITY = "constellation:workspace-activity";
}
