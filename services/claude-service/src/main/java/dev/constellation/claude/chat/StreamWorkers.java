package dev.constellation.claude.chat;

import dev.constellation.claude.config.ClaudeProperties;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The threads that stream AI answers and agent turns, one pool for both, so that {@code
 * AI_STREAM_CONCURRENCY} bounds everything this replica streams at once; and one timer for their
 * heartbeats and deadlines.
 */
@Component
public class StreamWorkers {
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService timers;

  StreamWorkers(ClaudeProperties properties) {
    AtomicInteger n = new AtomicInteger();
    // No queue: a stream that cannot start now is refused, not left waiting behind others.
    this.workers =
        new ThreadPoolExecutor(
            0,
            properties.limits().streamConcurrency(),
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> daemon(r, "ai-stream-" + n.incrementAndGet()));
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ai-stream-timer"));
  }

  /**
   * Runs {@code stream} on a free worker.
   *
   * @throws RejectedExecutionException when every worker is busy
   */
  public void execute(Runnable stream) {
    workers.execute(stream);
  }

  public ScheduledExecutorService timers() {
    return timers;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @PreDestroy
  void shutdown() {
    workers.shutdownNow();
    timers.shutdownNow();
  }
}
