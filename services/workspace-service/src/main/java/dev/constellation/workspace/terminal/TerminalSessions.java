package dev.constellation.workspace.terminal;

import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.events.WorkspaceEvent;
import dev.constellation.workspace.runtime.TerminalSession;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * A project's terminal sessions, kept by the runtime (tmux in the container): this class makes ids,
 * checks titles and the per-project cap, and tells open IDEs when the list changed.
 */
@Component
class TerminalSessions {
  private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  static final int MAX_TITLE = 64;

  private final WorkspaceRuntime runtime;
  private final ApplicationEventPublisher events;
  private final int maxPerProject;
  private final SecureRandom random = new SecureRandom();

  TerminalSessions(
      WorkspaceRuntime runtime, ApplicationEventPublisher events, WorkspaceProperties properties) {
    this.runtime = runtime;
    this.events = events;
    this.maxPerProject = properties.terminal().maxSessionsPerProject();
  }

  List<TerminalSession> list(String projectId) {
    return runtime.sessions(projectId);
  }

  Optional<TerminalSession> find(String projectId, String sessionId) {
    if (!TerminalSession.validId(sessionId)) return Optional.empty();
    return list(projectId).stream().filter(s -> s.id().equals(sessionId)).findFirst();
  }

  /** A new session, or empty when the project already holds its cap of sessions. */
  Optional<TerminalSession> create(String projectId, int cols, int rows) {
    List<TerminalSession> existing = list(projectId);
    if (existing.size() >= maxPerProject) return Optional.empty();
    TerminalSession session =
        runtime.createSession(projectId, newId(), "Terminal " + (existing.size() + 1), cols, rows);
    announce(projectId);
    return Optional.of(session);
  }

  void kill(String projectId, String sessionId) {
    if (!TerminalSession.validId(sessionId) || !runtime.killSession(projectId, sessionId))
      throw notFound();
    announce(projectId);
  }

  TerminalSession rename(String projectId, String sessionId, String title) {
    String clean = title == null ? "" : title.strip();
    if (clean.isEmpty()
        || clean.length() > MAX_TITLE
        || clean.codePoints().anyMatch(Character::isISOControl))
      throw ApiException.validation(
          "title", "A title is 1 to " + MAX_TITLE + " characters without control characters.");
    if (!TerminalSession.validId(sessionId) || !runtime.renameSession(projectId, sessionId, clean))
      throw notFound();
    announce(projectId);
    return find(projectId, sessionId).orElseThrow(TerminalSessions::notFound);
  }

  /** Tells the project's event streams what its sessions are now. */
  void announce(String projectId) {
    try {
      events.publishEvent(
          new WorkspaceEvent(projectId, "terminals", Map.of("sessions", list(projectId))));
    } catch (RuntimeException e) {
      // the list is fetched again on the next change or request
    }
  }

  private String newId() {
    char[] id = new char[12];
    for (int i = 0; i < id.length; i++) id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
    return "t-" + new String(id);
  }

  static ApiException notFound() {
    return ApiException.notFound("The workspace has no terminal session with this id.");
  }
}
