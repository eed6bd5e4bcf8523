package dev.constellation.workspace.events;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Which projects someone is watching right now (an open event stream), so that work done only for
 * watchers — scanning a workspace's listening ports — stops when the last IDE closes.
 */
@Component
public class WorkspaceWatchers {
  private final ConcurrentHashMap<String, AtomicInteger> watchers = new ConcurrentHashMap<>();

  public void watch(String projectId) {
    watchers.computeIfAbsent(projectId, id -> new AtomicInteger()).incrementAndGet();
  }

  public void unwatch(String projectId) {
    watchers.computeIfPresent(projectId, (id, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  public Set<String> watched() {
    return Set.copyOf(watchers.keySet());
  }
}
