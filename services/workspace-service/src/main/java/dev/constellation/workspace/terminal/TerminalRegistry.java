package dev.constellation.workspace.terminal;

import dev.constellation.common.access.ProjectAccessClient;
import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.access.ProjectRole;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.DisabledUsers;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.web.ShutdownDrain;
import dev.constellation.workspace.events.AccessChanged;
import dev.constellation.workspace.lifecycle.WorkspaceStoppedEvent;
import dev.constellation.workspace.runtime.TerminalProcess;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The open terminal sockets of this replica, so that they can be closed when their workspace stops
 * or their user loses access to the project. Closing a socket detaches it: the session stays, for
 * the project's other members (a session belongs to the project, like the workspace it runs in).
 */
@Component
class TerminalRegistry extends ShutdownDrain implements MessageListener {
  private static final Logger log = LoggerFactory.getLogger(TerminalRegistry.class);
  static final CloseStatus WORKSPACE_STOPPED =
      CloseStatus.GOING_AWAY.withReason("workspace stopped");

  /**
   * workspace-service is stopping: the IDE reattaches (to this or another replica) with backoff.
   */
  static final CloseStatus SERVICE_RESTARTING =
      CloseStatus.GOING_AWAY.withReason("service restarting");

  static final CloseStatus ACCESS_REVOKED =
      CloseStatus.POLICY_VIOLATION.withReason("access revoked");

  record Connection(
      String id,
      String projectId,
      AuthenticatedUser user,
      WebSocketSession session,
      TerminalProcess process) {}

  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final Map<String, Long> accessChangedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> userRevokedAt = new ConcurrentHashMap<>();
  private final ProjectAccessClient access;
  private final StringRedisTemplate redis;
  private final ExecutorService rechecks =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "terminal-access-recheck");
            t.setDaemon(true);
            return t;
          });

  private final ApplicationEventPublisher events;

  TerminalRegistry(
      ProjectAccessClient access,
      StringRedisTemplate redis,
      MeterRegistry meters,
      ApplicationEventPublisher events) {
    this.events = events;
    this.access = access;
    this.redis = redis;
    Gauge.builder("workspace.terminals.active", connections, Map::size)
        .description("Open terminal WebSockets")
        .register(meters);
  }

  /**
   * Registers an open terminal. Its user's access was checked when the ticket was issued; should
   * the project's access have changed since then (before this terminal could be seen by a
   * re-check), it is checked again now.
   */
  void add(Connection connection, long accessCheckedAtMillis) {
    connections.put(connection.id(), connection);
    Long changed = accessChangedAt.get(connection.projectId());
    if (changed != null && changed >= accessCheckedAtMillis)
      rechecks.execute(() -> recheck(connection.projectId()));
    // A ticket issued before its user's tokens were revoked does not outlive them.
    Long revoked = userRevokedAt.get(connection.user().id());
    if (revoked != null && revoked >= accessCheckedAtMillis) disconnect(connection, ACCESS_REVOKED);
    log.debug(
        "terminal {} of user {} opened in project {}",
        connection.id(),
        connection.user().id(),
        connection.projectId());
  }

  void remove(String id) {
    log.debug("terminal {} closed", id);
    connections.remove(id);
  }

  int count() {
    return connections.size();
  }

  @EventListener
  void onWorkspaceStopped(WorkspaceStoppedEvent event) {
    for (Connection c : List.copyOf(connections.values())) {
      if (c.projectId().equals(event.projectId())) disconnect(c, WORKSPACE_STOPPED);
    }
  }

  /** project-service announced a membership change: ask again, off the Redis listener thread. */
  @Override
  public void onMessage(Message message, byte[] pattern) {
    String projectId = new String(message.getBody(), StandardCharsets.UTF_8).trim();
    log.debug("access changed in project {}: re-checking its terminals", projectId);
    accessChangedAt.put(projectId, System.currentTimeMillis());
    rechecks.execute(() -> recheck(projectId));
    // The workspace event streams of the project are re-checked the same way.
    events.publishEvent(AccessChanged.projectChanged(projectId));
  }

  /**
   * The gateway revoked the user's tokens (sign-out, password change, disabled, deleted, role
   * changed): their terminals close at once with 1008.
   */
  void closeUser(String userId) {
    long now = System.currentTimeMillis();
    // Only tickets still redeemable (at most 60 s old) need the mark.
    userRevokedAt.values().removeIf(at -> at < now - 120_000);
    userRevokedAt.put(userId, now);
    events.publishEvent(AccessChanged.userRevoked(userId));
    for (Connection c : List.copyOf(connections.values())) {
      if (c.user().id().equals(userId)) {
        log.info(
            "closing terminal of user {} in project {}: tokens revoked", userId, c.projectId());
        disconnect(c, ACCESS_REVOKED);
      }
    }
  }

  void recheck(String projectId) {
    access.invalidate(projectId);
    log.debug("re-checking {} terminals", connections.size());
    for (Connection c : List.copyOf(connections.values())) {
      if (!c.projectId().equals(projectId)) continue;
      try {
        boolean disabled = Boolean.TRUE.equals(redis.hasKey(DisabledUsers.key(c.user().id())));
        // The identity was proven when the ticket was issued; project-service is asked about that
        // user with this service's own token (no service ever signs a token of a user's).
        ProjectRole role = disabled ? null : access.roleOf(c.user().id(), projectId);
        log.debug("terminal of user {} in project {}: role now {}", c.user().id(), projectId, role);
        if (role == null || !role.allows(ProjectAction.WRITE)) {
          log.info(
              "closing terminal of user {} in project {}: access revoked",
              c.user().id(),
              projectId);
          disconnect(c, ACCESS_REVOKED);
        }
      } catch (ApiException e) {
        if (e.status() == HttpStatus.UNAUTHORIZED) disconnect(c, ACCESS_REVOKED);
        else
          log.warn(
              "could not re-check terminal access in project {}: {}", projectId, e.getMessage());
      } catch (RuntimeException | Error e) {
        log.warn("could not re-check terminal access in project {}: {}", projectId, e.toString());
      }
    }
  }

  /**
   * At shutdown: every terminal socket closes with 1001; its session (tmux in the workspace) stays
   * for the reattach.
   */
  @Override
  protected void drain() {
    var open = List.copyOf(connections.values());
    if (!open.isEmpty()) log.info("closing {} terminal sockets: service stopping", open.size());
    for (Connection c : open) disconnect(c, SERVICE_RESTARTING);
  }

  private void disconnect(Connection c, CloseStatus status) {
    connections.remove(c.id());
    TerminalHandler.close(c.session(), status);
    c.process().close();
  }
}
