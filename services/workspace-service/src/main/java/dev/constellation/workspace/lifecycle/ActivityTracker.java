package dev.constellation.workspace.lifecycle;

import dev.constellation.common.access.AccessChannels;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Remembers when each project last saw activity. Keystrokes are far too frequent to write to
 * MongoDB or Redis each time: they are noted in memory and announced on the activity channel at
 * most every few seconds, so that every replica (and the idle reaper on any of them) learns of
 * them.
 */
@Component
public class ActivityTracker implements MessageListener {
  private static final Logger log = LoggerFactory.getLogger(ActivityTracker.class);
  private static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(10);

  private final StringRedisTemplate redis;
  private final Clock clock;
  private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastAnnounced = new ConcurrentHashMap<>();

  /** Projects whose IDEs were warned of an idle stop, with when it would happen. */
  private final Map<String, Instant> warned = new ConcurrentHashMap<>();

  private final ApplicationEventPublisher events;
  private final WorkspaceRuntime runtime;

  ActivityTracker(
      StringRedisTemplate redis,
      Clock clock,
      ApplicationEventPublisher events,
      WorkspaceRuntime runtime) {
    this.redis = redis;
    this.clock = clock;
    this.events = events;
    this.runtime = runtime;
  }

  /** The IDEs were told the workspace stops at {@code stopsAt}; false when they already were. */
  boolean markWarned(String projectId, Instant stopsAt) {
    return !stopsAt.equals(warned.put(projectId, stopsAt));
  }

  /** The warning no longer holds (the workspace stopped, or activity moved the stop away). */
  boolean clearWarning(String projectId) {
    return warned.remove(projectId) != null;
  }

  /** Activity after a warning cancels it at once: the IDEs hear the workspace is simply ready. */
  private void cancelWarning(String projectId) {
    if (!clearWarning(projectId)) return;
    try {
      events.publishEvent(
          StatusEvents.of(projectId, WorkspaceStatus.RUNNING, "ready", null, runtime.name()));
    } catch (RuntimeException e) {
      log.debug("could not announce the cancelled idle warning: {}", e.toString());
    }
  }

  /** Something happened in the project that should keep its workspace awake. */
  public void touch(String projectId) {
    Instant now = clock.instant();
    lastSeen.put(projectId, now);
    cancelWarning(projectId);
    Instant announced = lastAnnounced.get(projectId);
    if (announced == null || announced.plus(ANNOUNCE_EVERY).isBefore(now)) {
      lastAnnounced.put(projectId, now);
      try {
        redis.convertAndSend(AccessChannels.WORKSPACE_ACTIVITY, projectId);
      } catch (RuntimeException e) {
        log.warn("could not announce activity: {}", e.toString());
      }
    }
  }

  Optional<Instant> lastActivity(String projectId) {
    return Optional.ofNullable(lastSeen.get(projectId));
  }

  void forget(String projectId) {
    lastSeen.remove(projectId);
    lastAnnounced.remove(projectId);
    warned.remove(projectId);
  }

  /** An announcement from claude-service (an AI request) or another replica. */
  @Override
  public void onMessage(Message message, byte[] pattern) {
    String projectId = new String(message.getBody(), StandardCharsets.UTF_8).trim();
    if (!projectId.isEmpty()) {
      lastSeen.merge(projectId, clock.instant(), (a, b) -> a.isAfter(b) ? a : b);
      cancelWarning(projectId);
    }
  }
}
