package dev.constellation.workspace.lifecycle;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.access.ProjectGuard;
import dev.constellation.workspace.events.WorkspaceEvent;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What the IDE hears without asking: the workspace's status with its phase, idle warnings, ports
 * and terminal sessions, as server-sent events (see docs/api-contract.md).
 */
@RestController
class WorkspaceEventsController {
  private final ProjectGuard guard;
  private final WorkspaceService workspaces;
  private final WorkspaceEventStreams streams;
  private final WorkspaceRuntime runtime;

  WorkspaceEventsController(
      ProjectGuard guard,
      WorkspaceService workspaces,
      WorkspaceEventStreams streams,
      WorkspaceRuntime runtime) {
    this.guard = guard;
    this.workspaces = workspaces;
    this.streams = streams;
    this.runtime = runtime;
  }

  @GetMapping(
      path = "/api/projects/{projectId}/workspace/events",
      produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.READ);
    WorkspaceEvent status = workspaces.statusEvent(projectId);
    List<WorkspaceEvent> first = new ArrayList<>(List.of(status));
    if (status.data() instanceof Map<?, ?> data && "ready".equals(data.get("phase"))) {
      try {
        first.add(
            new WorkspaceEvent(
                projectId, "terminals", Map.of("sessions", runtime.sessions(projectId))));
      } catch (RuntimeException e) {
        // the list follows with the next change
      }
    }
    return streams.open(user.id(), projectId, first);
  }
}
