package dev.constellation.workspace.terminal;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.access.ProjectGuard;
import dev.constellation.workspace.runtime.TerminalSession;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A project's terminal sessions: viewers see the list, editors kill and rename. Nothing here starts
 * a workspace; a stopped one has no sessions.
 */
@RestController
@RequestMapping("/api/projects/{projectId}/terminals")
class TerminalSessionsController {
  private final ProjectGuard guard;
  private final TerminalSessions sessions;

  TerminalSessionsController(ProjectGuard guard, TerminalSessions sessions) {
    this.guard = guard;
    this.sessions = sessions;
  }

  /** {@code title}: the new name, 1 to 64 characters. */
  record Rename(String title) {}

  @GetMapping
  List<TerminalSession> list(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.READ);
    return sessions.list(projectId);
  }

  @DeleteMapping("/{sessionId}")
  ResponseEntity<Void> kill(
      @PathVariable String projectId,
      @PathVariable String sessionId,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    sessions.kill(projectId, sessionId);
    return ResponseEntity.noContent().build();
  }

  @PatchMapping("/{sessionId}")
  TerminalSession rename(
      @PathVariable String projectId,
      @PathVariable String sessionId,
      @RequestBody Rename body,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    return sessions.rename(projectId, sessionId, body == null ? null : body.title());
  }
}
