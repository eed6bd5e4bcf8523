package dev.constellation.workspace.lsp;

import dev.constellation.common.access.ProjectAccessClient;
import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.access.ProjectRole;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.DisabledUsers;
import dev.constellation.common.web.ShutdownDrain;
import dev.constellation.workspace.events.AccessChanged;
import dev.constellation.workspace.lifecycle.WorkspaceStoppedEvent;
import dev.constellation.workspace.runtime.StdioProcess;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The language servers running for this replica's sockets, so that they end with their workspace
 * (4409) and when their user loses write access to the project (1008). The access events are the
 * ones terminal.TerminalRegistry hears on Redis and passes on.
 */
@Component
class LanguageServerRegistry extends ShutdownDrain {
  private static final Logger log = LoggerFactory.getLogger(LanguageServerRegistry.class);
  static final CloseStatus WORKSPACE_STOPPED = new CloseStatus(4409, "workspace-stopped");
  static final CloseStatus ACCESS_REVOKED =
      CloseStatus.POLICY_VIOLATION.withReason("access revoked");

  record Connection(
      String id,
      String projectId,
      String language,
      AuthenticatedUser user,
      WebSocketSession session,
      StdioProcess process) {}

  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final ProjectAccessClient access;
  private final StringRedisTemplate redis;
  private final ExecutorService rechecks =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "lsp-access-recheck");
            t.setDaemon(true);
            return t;
          });

  LanguageServerRegistry(
      ProjectAccessClient access, StringRedisTemplate redis, MeterRegistry meters) {
    this.access = access;
    this.redis = redis;
    Gauge.builder("workspace.lsp.active", connections, Map::size)
        .description("Running language servers (one per open WebSocket)")
        .register(meters);
  }

  void add(Connection connection) {
    connections.put(connection.id(), connection);
  }

  void remove(String id) {
    connections.remove(id);
  }

  @EventListener
  void onWorkspaceStopped(WorkspaceStoppedEvent event) {
    for (Connection c : List.copyOf(connections.values())) {
      if (c.projectId().equals(event.projectId())) disconnect(c, WORKSPACE_STOPPED);
    }
  }

  @EventListener
  void onAccessChanged(AccessChanged event) {
    if (event.userId() != null) {
      for (Connection c : List.copyOf(connections.values())) {
        if (c.user().id().equals(event.userId())) disconnect(c, ACCESS_REVOKED);
      }
    }
    if (event.projectId() != null) rechecks.execute(() -> recheck(event.projectId()));
  }

  private void recheck(String projectId) {
    access.invalidate(projectId);
    for (Connection c : List.copyOf(connections.values())) {
      if (!c.projectId().equals(projectId)) continue;
      try {
        boolean disabled = Boolean.TRUE.equals(redis.hasKey(DisabledUsers.key(c.user().id())));
        ProjectRole role = disabled ? null : access.roleOf(c.user().id(), projectId);
        if (role == null || !role.allows(ProjectAction.WRITE)) disconnect(c, ACCESS_REVOKED);
      } catch (RuntimeException e) {
        log.warn("could not re-check language-server access in {}: {}", projectId, e.toString());
      }
    }
  }

  /** At shutdown: every language-server socket closes with 1001; the IDE starts a new server. */
  @Override
  protected void drain() {
    for (Connection c : List.copyOf(connections.values()))
      disconnect(c, CloseStatus.GOING_AWAY.withReason("service restarting"));
  }

  private void disconnect(Connection c, CloseStatus status) {
    connections.remove(c.id());
    LanguageServerHandler.close(c.session(), status);
    c.process().close();
  }
}
