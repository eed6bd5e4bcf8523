package dev.constellation.workspace.exec;

import dev.constellation.common.web.ShutdownDrain;
import dev.constellation.workspace.runtime.RunningCommand;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The streamed commands of this replica ({@code POST /exec/stream}), so that a stopping service
 * ends them with their {@code done} line instead of a connection cut when the process exits: they
 * get half of {@code SHUTDOWN_TIMEOUT} to finish, then are killed and reported as {@code killedBy:
 * "service-restart"}.
 */
@Component
class RunningStreams extends ShutdownDrain {
  private static final Logger log = LoggerFactory.getLogger(RunningStreams.class);
  static final String KILLED_BY_RESTART = "service-restart";

  /** One streamed command; {@link #stopped} is set when the shutdown killed it. */
  static final class Running implements AutoCloseable {
    private final RunningCommand command;
    private final Set<Running> all;
    final AtomicBoolean stopped = new AtomicBoolean();

    private Running(RunningCommand command, Set<Running> all) {
      this.command = command;
      this.all = all;
    }

    @Override
    public void close() {
      all.remove(this);
    }
  }

  private final Set<Running> running = ConcurrentHashMap.newKeySet();
  private final Duration grace;

  RunningStreams(
      @Value("${spring.lifecycle.timeout-per-shutdown-phase:20s}") Duration shutdownTimeout) {
    this.grace = shutdownTimeout.dividedBy(2);
  }

  Running add(RunningCommand command) {
    Running r = new Running(command, running);
    running.add(r);
    return r;
  }

  @Override
  protected void drain() {
    long deadline = System.nanoTime() + grace.toNanos();
    if (!running.isEmpty())
      log.info("stopping: waiting up to {} for {} streamed commands", grace, running.size());
    while (!running.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Running r : List.copyOf(running)) {
      r.stopped.set(true);
      r.command.kill();
    }
    // The relays write their done lines once the kills are seen (within about 50 ms).
    long written = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (!running.isEmpty() && System.nanoTime() < written) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
