package dev.constellation.workspace.lifecycle;

import dev.constellation.workspace.events.WorkspaceEvent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The projects whose workspace is paused, as this replica heard of it: from its own status events
 * and those other replicas relay ({@link WorkspaceEventStreams}), and from every status read. Hot
 * paths (a keystroke in an open terminal, a preview request) ask here, in memory, so that a running
 * workspace costs them no lookup at all; only a paused one is resumed.
 */
@Component
class PausedProjects {
  private final Set<String> paused = ConcurrentHashMap.newKeySet();

  boolean contains(String projectId) {
    return paused.contains(projectId);
  }

  void note(String projectId, WorkspaceStatus status) {
    if (status == WorkspaceStatus.PAUSED) paused.add(projectId);
    else paused.remove(projectId);
  }

  /** A status event, from here or relayed from another replica. */
  void noteStatus(String projectId, Object status) {
    if (status == null) return;
    try {
      note(projectId, WorkspaceStatus.valueOf(status.toString()));
    } catch (IllegalArgumentException unknown) {
      // a newer replica's status: leave what we know
    }
  }

  @EventListener
  void onEvent(WorkspaceEvent event) {
    if (StatusEvents.TYPE.equals(event.type()) && event.data() instanceof Map<?, ?> data)
      noteStatus(event.projectId(), data.get("status"));
  }
}
