package dev.constellation.workspace.lifecycle;

import dev.constellation.workspace.events.WorkspaceEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The {@code status} event of the workspace event stream: a status and a finer phase. */
final class StatusEvents {
  static final String TYPE = "status";

  private StatusEvents() {}

  static WorkspaceEvent of(
      String projectId,
      WorkspaceStatus status,
      String phase,
      @Nullable String reason,
      String runtime) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("projectId", projectId);
    data.put("status", status);
    data.put("phase", phase);
    if (reason != null) data.put("reason", reason);
    data.put("runtime", runtime);
    return new WorkspaceEvent(projectId, TYPE, data);
  }

  /** The phase of a settled or recorded status (the transitions name theirs themselves). */
  static String phaseOf(WorkspaceStatus status) {
    return switch (status) {
      case STOPPED -> "stopped";
      case STARTING -> "starting";
      case RUNNING -> "ready";
      case PAUSED -> "paused";
      case STOPPING -> "stopping";
      case FAILED -> "failed";
    };
  }
}
