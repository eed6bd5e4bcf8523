package dev.constellation.workspace.preview;

import dev.constellation.common.preview.PreviewHosts;
import dev.constellation.common.project.ProjectIds;
import dev.constellation.workspace.events.WorkspaceEvent;
import dev.constellation.workspace.events.WorkspaceWatchers;
import dev.constellation.workspace.lifecycle.WorkspaceService;
import dev.constellation.workspace.runtime.PreviewTarget;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The listening ports of workspaces: read about once a second for projects someone watches (an open
 * event stream), announced as a {@code ports} {@link WorkspaceEvent} whenever the set changes, and
 * read on demand (at most once per interval) for the API and the gateway.
 */
@Component
public class PreviewPorts {
  private static final Logger log = LoggerFactory.getLogger(PreviewPorts.class);

  /** One port of the {@code ports} event. */
  record Port(int port, String url) {}

  private record Scan(Set<Integer> ports, long atNanos) {}

  private final WorkspaceRuntime runtime;
  private final WorkspaceService workspaces;
  private final WorkspaceWatchers watchers;
  private final ApplicationEventPublisher events;
  private final PreviewProperties properties;
  private final Map<String, Scan> scans = new ConcurrentHashMap<>();
  private final Map<String, Set<Integer>> announced = new ConcurrentHashMap<>();

  PreviewPorts(
      WorkspaceRuntime runtime,
      WorkspaceWatchers watchers,
      ApplicationEventPublisher events,
      PreviewProperties properties,
      WorkspaceService workspaces) {
    this.runtime = runtime;
    this.workspaces = workspaces;
    this.watchers = watchers;
    this.events = events;
    this.properties = properties;
  }

  @Scheduled(fixedDelayString = "${preview.scan-interval:1s}")
  void scanWatched() {
    Set<String> watched = watchers.watched();
    announced.keySet().retainAll(watched);
    scans.keySet().retainAll(watched);
    for (String projectId : watched) {
      if (!ProjectIds.isValid(projectId)) continue;
      // A paused workspace's ports stay as announced: reading them would only wake the engine.
      if (workspaces.isPaused(projectId)) continue;
      try {
        Set<Integer> ports = read(projectId);
        Set<Integer> before = announced.put(projectId, ports);
        if (before == null ? !ports.isEmpty() : !before.equals(ports)) announce(projectId, ports);
      } catch (RuntimeException e) {
        log.debug("cannot read the ports of workspace {}: {}", projectId, e.toString());
      }
    }
  }

  /** The ports a user may preview, read now unless a read within the scan interval is at hand. */
  public Set<Integer> current(String projectId) {
    Scan scan = scans.get(projectId);
    if (scan != null && System.nanoTime() - scan.atNanos() < properties.scanInterval().toNanos()) {
      return scan.ports();
    }
    return read(projectId);
  }

  /** The {@code ports} event's data for the ports now listening: {@code {ports: [{port, url}]}}. */
  public Map<String, Object> event(String projectId) {
    return eventData(projectId, current(projectId));
  }

  /**
   * Where the gateway reaches a port: only one listening in this project's workspace now; null when
   * it does not listen, empty when it listens but cannot be reached from here.
   */
  Optional<PreviewTarget> target(String projectId, int port) {
    // Opening a preview of a paused workspace thaws it (an in-memory check when it runs).
    workspaces.resumeIfPaused(projectId);
    if (!current(projectId).contains(port)) return null;
    return runtime.previewTarget(projectId, port);
  }

  String url(String projectId, int port) {
    return PreviewHosts.origin(projectId, port, properties.publicUrl()) + "/";
  }

  private Set<Integer> read(String projectId) {
    Set<Integer> ports = new TreeSet<>();
    for (int port : runtime.listeningPorts(projectId)) {
      if (PortPolicy.previewable(port)) ports.add(port);
    }
    Set<Integer> result = Set.copyOf(ports);
    scans.put(projectId, new Scan(result, System.nanoTime()));
    return result;
  }

  private void announce(String projectId, Set<Integer> ports) {
    events.publishEvent(new WorkspaceEvent(projectId, "ports", eventData(projectId, ports)));
  }

  private Map<String, Object> eventData(String projectId, Set<Integer> ports) {
    List<Port> list =
        new TreeSet<>(ports).stream().map(p -> new Port(p, url(projectId, p))).toList();
    return Map.of("ports", list);
  }
}
