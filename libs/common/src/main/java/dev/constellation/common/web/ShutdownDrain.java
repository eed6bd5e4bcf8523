package dev.constellation.common.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Ends, when the service stops, what would otherwise hold its graceful shutdown open until {@code
 * SHUTDOWN_TIMEOUT} and then be cut: server-sent event streams and WebSockets. Ordinary requests
 * finish by themselves (Tomcat's graceful shutdown waits for them); a stream or socket never does.
 *
 * <p>Runs in the phase of Boot's {@code WebServerGracefulShutdownLifecycle}, alongside it: the
 * server has stopped taking connections (a client that reconnects reaches another replica, or the
 * restarted one) while {@link #drain()} ends each stream with an event and each socket with a close
 * code the UI reconnects from (1001 "going away").
 */
public abstract class ShutdownDrain implements SmartLifecycle {
  /** {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

  private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);
  private volatile boolean running;

  /** Ends every open stream or socket; may wait (bounded) for them to finish first. */
  protected abstract void drain();

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    drain();
  }

  /** Off the closing thread, so that the web server's own drain runs at the same time. */
  @Override
  public void stop(Runnable callback) {
    running = false;
    Thread thread =
        new Thread(
            () -> {
              try {
                drain();
              } catch (RuntimeException e) {
                log.warn(
                    "draining {} at shutdown failed: {}", getClass().getSimpleName(), e.toString());
              } finally {
                callback.run();
              }
            },
            "shutdown-drain");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
