package dev.constellation.workspace.lifecycle;

import dev.constellation.common.access.ProjectAccessClient;
import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.access.ProjectRole;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.web.ShutdownDrain;
import dev.constellation.workspace.events.AccessChanged;
import dev.constellation.workspace.events.WorkspaceEvent;
import dev.constellation.workspace.events.WorkspaceWatchers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The open {@code /workspace/events} streams of this replica. Every {@link WorkspaceEvent}
 * published here goes to the project's streams; {@code status} and {@code terminals} also go to the
 * other replicas over Redis (whose streams would not hear of a start or a new session otherwise). A
 * stream closes when its user's access ends, like a terminal.
 */
@Component
public class WorkspaceEventStreams extends ShutdownDrain implements MessageListener {
  static final String CHANNEL = "constellation:workspace-events";
  private static final Set<String> RELAYED = Set.of(StatusEvents.TYPE, "terminals");
  private static final Logger log = LoggerFactory.getLogger(WorkspaceEventStreams.class);

  record Stream(String userId, String projectId, SseEmitter emitter, AtomicBoolean done) {}

  private final Map<String, Stream> streams = new ConcurrentHashMap<>();

  /** The last {@code ports} event of each project, for a stream that opens later. */
  private final Map<String, WorkspaceEvent> lastPorts = new ConcurrentHashMap<>();

  private final String origin = UUID.randomUUID().toString();
  private final WorkspaceWatchers watchers;
  private final ProjectAccessClient access;
  private final StringRedisTemplate redis;
  private final JsonMapper json;
  private final PausedProjects paused;
  private final int maxPerUser;
  private final Duration lifetime;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "workspace-events");
            t.setDaemon(true);
            return t;
          });

  WorkspaceEventStreams(
      WorkspaceWatchers watchers,
      ProjectAccessClient access,
      StringRedisTemplate redis,
      JsonMapper json,
      PausedProjects paused,
      @Value("${workspace.events.max-per-user:10}") int maxPerUser,
      @Value("${workspace.events.keep-alive:15s}") Duration keepAlive,
      @Value("${workspace.events.lifetime:1h}") Duration lifetime) {
    this.watchers = watchers;
    this.access = access;
    this.redis = redis;
    this.json = json;
    this.paused = paused;
    this.maxPerUser = maxPerUser;
    this.lifetime = lifetime;
    timer.scheduleWithFixedDelay(
        this::keepAlive, keepAlive.toMillis(), keepAlive.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A new stream for {@code userId}, who may read the project; its first event is {@code first}.
   */
  SseEmitter open(String userId, String projectId, List<WorkspaceEvent> first) {
    long mine = streams.values().stream().filter(s -> s.userId().equals(userId)).count();
    if (mine >= maxPerUser)
      throw new ApiException(
          ProblemType.RATE_LIMITED,
          "You already have " + maxPerUser + " workspace event streams open; close one first.");
    // Ends after a while so that the IDE reconnects (and its access is asked again).
    SseEmitter emitter = new SseEmitter(lifetime.toMillis());
    String id = UUID.randomUUID().toString();
    Stream stream = new Stream(userId, projectId, emitter, new AtomicBoolean());
    streams.put(id, stream);
    watchers.watch(projectId);
    Runnable cleanup =
        () -> {
          if (stream.done().compareAndSet(false, true)) {
            streams.remove(id);
            watchers.unwatch(projectId);
          }
        };
    emitter.onCompletion(cleanup);
    emitter.onTimeout(
        () -> {
          cleanup.run();
          emitter.complete();
        });
    emitter.onError(e -> cleanup.run());
    for (WorkspaceEvent event : first) send(stream, event.type(), toJson(event.data()));
    WorkspaceEvent ports = lastPorts.get(projectId);
    if (ports != null) send(stream, ports.type(), toJson(ports.data()));
    return emitter;
  }

  @EventListener
  void onEvent(WorkspaceEvent event) {
    if ("ports".equals(event.type())) lastPorts.put(event.projectId(), event);
    if (StatusEvents.TYPE.equals(event.type())
        && event.data() instanceof Map<?, ?> data
        && !"ready".equals(data.get("phase"))) lastPorts.remove(event.projectId());
    String data = toJson(event.data());
    deliver(event.projectId(), event.type(), data);
    if (RELAYED.contains(event.type())) {
      try {
        redis.convertAndSend(
            CHANNEL,
            json.writeValueAsString(
                Map.of(
                    "origin",
                    origin,
                    "projectId",
                    event.projectId(),
                    "type",
                    event.type(),
                    "data",
                    data)));
      } catch (RuntimeException e) {
        log.debug("could not relay a workspace event: {}", e.toString());
      }
    }
  }

  /** An event another replica published. */
  @Override
  public void onMessage(Message message, byte[] pattern) {
    try {
      JsonNode node = json.readTree(new String(message.getBody(), StandardCharsets.UTF_8));
      if (origin.equals(node.path("origin").asString())) return;
      String type = node.path("type").asString();
      if (!RELAYED.contains(type)) return;
      String data = node.path("data").asString();
      if (StatusEvents.TYPE.equals(type))
        paused.noteStatus(
            node.path("projectId").asString(), json.readTree(data).path("status").asString(null));
      deliver(node.path("projectId").asString(), type, data);
    } catch (RuntimeException e) {
      log.debug("ignored a malformed workspace event: {}", e.toString());
    }
  }

  @EventListener
  void onAccessChanged(AccessChanged change) {
    if (change.userId() != null) {
      for (Stream s : List.copyOf(streams.values())) if (s.userId().equals(change.userId())) end(s);
    }
    if (change.projectId() != null) {
      timer.execute(() -> recheck(change.projectId()));
    }
  }

  private void recheck(String projectId) {
    access.invalidate(projectId);
    for (Stream s : List.copyOf(streams.values())) {
      if (!s.projectId().equals(projectId)) continue;
      try {
        ProjectRole role = access.roleOf(s.userId(), projectId);
        if (role == null || !role.allows(ProjectAction.READ)) end(s);
      } catch (ApiException e) {
        if (e.status().is4xxClientError()) end(s);
        else
          log.warn(
              "could not re-check an event stream in project {}: {}", projectId, e.getMessage());
      } catch (RuntimeException e) {
        log.warn("could not re-check an event stream in project {}: {}", projectId, e.toString());
      }
    }
  }

  int count() {
    return streams.size();
  }

  private void deliver(String projectId, String type, String data) {
    for (Stream s : List.copyOf(streams.values()))
      if (s.projectId().equals(projectId)) send(s, type, data);
  }

  private void keepAlive() {
    for (Stream s : List.copyOf(streams.values())) {
      try {
        synchronized (s) {
          s.emitter().send(SseEmitter.event().comment("keep-alive"));
        }
      } catch (IOException | RuntimeException gone) {
        end(s);
      }
    }
  }

  private void send(Stream s, String type, String data) {
    try {
      synchronized (s) {
        s.emitter().send(SseEmitter.event().name(type).data(data));
      }
    } catch (IOException | RuntimeException gone) {
      end(s);
    }
  }

  /**
   * At shutdown: every stream ends as at the end of its lifetime, complete rather than cut; the IDE
   * reconnects with backoff.
   */
  @Override
  protected void drain() {
    for (Stream s : List.copyOf(streams.values())) end(s);
  }

  private void end(Stream s) {
    try {
      s.emitter().complete();
    } catch (RuntimeException ignored) {
      // already completed
    }
  }

  private String toJson(Object data) {
    return json.writeValueAsString(data == null ? Map.of() : data);
  }
}
