package dev.constellation.workspace.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exec agent of each workspace container, started by the first command that wants one and
 * started again after it ended. Where none answers (an image without python3, an engine too busy to
 * start it in time) commands run as engine execs, as before the agent existed: slower under a
 * crowd, the same for the user.
 */
final class ExecAgents {
  private static final Logger log = LoggerFactory.getLogger(ExecAgents.class);

  /** How long a command waits for its container's agent to start before it takes an engine exec. */
  private static final Duration READY_WITHIN = Duration.ofSeconds(10);

  /** How long a container whose agent did not start is not asked again. */
  private static final long RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final DockerClient docker;
  private final int uid;
  private final boolean enabled;
  private final Map<String, ExecAgent> agents = new ConcurrentHashMap<>();
  private final Map<String, Long> refusedAt = new ConcurrentHashMap<>();
  private final java.util.concurrent.ExecutorService warmer =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "exec-agent-warm");
            t.setDaemon(true);
            return t;
          });

  ExecAgents(DockerClient docker, int uid, boolean enabled) {
    this.docker = docker;
    this.uid = uid;
    this.enabled = enabled;
  }

  /**
   * Starts {@code argv} in {@code container} through its agent; null when there is no agent to run
   * it, and the caller makes an engine exec.
   */
  ContainerProcess run(
      String container,
      List<String> argv,
      Duration timeout,
      boolean marked,
      ContainerProcess.Frames frames) {
    ExecAgent agent = agent(container);
    return agent == null ? null : agent.run(argv, timeout, marked, frames);
  }

  /**
   * Starts the container's agent in the background, so that its first command (a resume's, say)
   * does not pay for the agent's start.
   */
  void warm(String container) {
    if (!enabled) return;
    warmer.execute(
        () -> {
          try {
            launched(container);
          } catch (RuntimeException e) {
            log.debug("could not start the exec agent in {} ahead: {}", container, e.toString());
          }
        });
  }

  /** The container's agent, started now unless it runs (or is starting) already. */
  private ExecAgent launched(String container) {
    ExecAgent agent = agents.get(container);
    if (agent != null && !agent.alive()) {
      // Ended since (the container restarted, or the user killed it): start another.
      agents.remove(container, agent);
    }
    return agents.computeIfAbsent(container, c -> ExecAgent.launch(docker, c, uid));
  }

  private ExecAgent agent(String container) {
    if (!enabled) return null;
    Long refused = refusedAt.get(container);
    if (refused != null) {
      if (System.nanoTime() - refused < RETRY_AFTER_NANOS) return null;
      refusedAt.remove(container, refused);
    }
    ExecAgent agent;
    try {
      agent = launched(container);
    } catch (RuntimeException e) {
      return null; // the container is not running, or the engine refused: the exec says which
    }
    try {
      if (agent.awaitReady(READY_WITHIN)) return agent;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (!agent.alive()) {
      agents.remove(container, agent);
      if (agent.neverReady()) {
        log.info("no exec agent started in {}: its commands are engine execs", container);
        refusedAt.put(container, System.nanoTime());
      }
    }
    return null; // still starting: this command goes to the engine, later ones wait again
  }
}
