package dev.constellation.workspace.concurrency;

import dev.constellation.workspace.config.LanguageServerProperties;
import dev.constellation.workspace.config.WorkspaceProperties;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Caps on what one user and one project may hold open at once on this replica: each exec holds a
 * request thread and an engine connection for up to its timeout, each terminal a connection for as
 * long as it is open. Without caps one account's hundreds of `sleep` execs stall every workspace.
 */
@Component
public class ConcurrencyLimits {
  /** What is counted. */
  public enum Kind {
    EXEC("commands", "concurrent-execs"),
    TERMINAL("terminals", "concurrent-terminals"),
    LANGUAGE_SERVER("language servers", "concurrent-language-servers");

    final String noun;
    final String problemType;

    Kind(String noun, String problemType) {
      this.noun = noun;
      this.problemType = problemType;
    }
  }

  /** A held place; closing it gives it back (once). */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final WorkspaceProperties properties;
  private final LanguageServerProperties languageServers;

  public ConcurrencyLimits(WorkspaceProperties properties) {
    this(properties, LanguageServerProperties.defaults());
  }

  @org.springframework.beans.factory.annotation.Autowired
  public ConcurrencyLimits(
      WorkspaceProperties properties, LanguageServerProperties languageServers) {
    this.properties = properties;
    this.languageServers = languageServers;
  }

  /**
   * Takes a place for {@code user} in {@code projectId}, or throws a 429 problem when either is at
   * its cap.
   */
  public Slot acquire(Kind kind, String userId, String projectId) {
    String userKey = kind + "/user/" + userId;
    String projectKey = kind + "/project/" + projectId;
    if (!take(userKey, perUser(kind))) {
      throw refused(
          kind,
          "You already run " + perUser(kind) + " " + kind.noun + " at once; wait for one to end.");
    }
    if (!take(projectKey, perProject(kind))) {
      give(userKey);
      throw refused(
          kind,
          "This project already runs "
              + perProject(kind)
              + " "
              + kind.noun
              + " at once; wait for one to end.");
    }
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        give(projectKey);
        give(userKey);
      }
    };
  }

  /** Refuses early (before a ticket is issued) when the user or project is already at its cap. */
  public void check(Kind kind, String userId, String projectId) {
    acquire(kind, userId, projectId).close();
  }

  private int perUser(Kind kind) {
    return switch (kind) {
      case EXEC -> properties.exec().maxPerUser();
      case TERMINAL -> properties.terminal().maxPerUser();
      case LANGUAGE_SERVER -> languageServers.maxPerUser();
    };
  }

  private int perProject(Kind kind) {
    return switch (kind) {
      case EXEC -> properties.exec().maxPerProject();
      case TERMINAL -> properties.terminal().maxPerProject();
      case LANGUAGE_SERVER -> languageServers.maxPerProject();
    };
  }

  private TooManyConcurrentException refused(Kind kind, String detail) {
    return new TooManyConcurrentException(
        kind.problemType,
        "Too many " + kind.noun,
        detail,
        properties.exec().retryAfter().toSeconds());
  }

  private boolean take(String key, int cap) {
    AtomicInteger count = counts.computeIfAbsent(key, k -> new AtomicInteger());
    while (true) {
      int now = count.get();
      if (now >= cap) return false;
      if (count.compareAndSet(now, now + 1)) return true;
    }
  }

  private void give(String key) {
    // Drop the entry at zero so that the map holds only users and projects with something open.
    counts.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
  }
}
