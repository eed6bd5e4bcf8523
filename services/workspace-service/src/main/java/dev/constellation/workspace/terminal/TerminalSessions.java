package dev.constellation.workspace.terminal;

import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.events.WorkspaceEvent;
import dev.constellation.workspace.lifecycle.WorkspaceService;
import dev.constellation.workspace.runtime.TerminalSession;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
  private final WorkspaceService workspaces;
  private final ApplicationEventPublisher events;
  private final int maxPerProject;
  private final SecureRandom random = new SecureRandom();
  private final Set<String> pendingAnnouncements = ConcurrentHashMap.newKeySet();

  /** One thread: announcements are notifications, and one listing at a time is plenty. */
  private final ExecutorService announcer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "terminal-announcer");
            t.setDaemon(true);
            return t;
          });

  TerminalSessions(
      WorkspaceRuntime runtime,
      ApplicationEventPublisher events,
      WorkspaceProperties properties,
      WorkspaceService workspaces) {
    this.runtime = runtime;
    this.workspaces = workspaces;
    this.events = events;
    this.maxPerProject = properties.terminal().maxSessionsPerProject();
  }

  List<TerminalSession> list(String projectId) {
    // The sessions live in the workspace (tmux): a paused one has to thaw to answer.
    workspaces.resumeIfPaused(projectId);
    return runtime.sessions(projectId);
  }

  Optional<TerminalSession> find(String projectId, String sessionId) {
    if (!TerminalSession.validId(sessionId)) return Optional.empty();
    return list(projectId).stream().filter(s -> s.id().equals(sessionId)).findFirst();
  }

  /** A new session, or empty when the project already holds its cap of sessions. */
  Optional<TerminalSession> create(String projectId, int cols, int rows) {
    Optional<TerminalSession> session =
        runtime.createSessionWithin(projectId, newId(), cols, rows, maxPerProject);
    if (session.isPresent()) announceSoon(projectId);
    return session;
  }

  void kill(String projectId, String sessionId) {
    workspaces.resumeIfPaused(projectId);
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

  /**
   * Announces off the caller's thread, once for however many changes arrive before the list is
   * taken: a terminal open then waits for one engine exec less, and five members opening their
   * terminals together cost one listing, not five.
   */
  void announceSoon(String projectId) {
    if (!pendingAnnouncements.add(projectId)) return;
    announcer.execute(
        () -> {
          pendingAnnouncements.remove(projectId);
          announce(projectId);
        });
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
