package dev.constellation.common.resilience;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A service started by the local launcher ({@code make run}, the system tests) exits when the
 * launcher is gone — even after a {@code kill -9} of it, which runs no shutdown hook — instead of
 * staying behind as an orphan on its port. The launcher passes its pid in
 * {@value #PID_VARIABLE}; without it (Docker, Kubernetes) this does nothing.
 */
public final class LauncherWatchdog implements SmartLifecycle {
  public static final String PID_VARIABLE = "CONSTELLATION_LAUNCHER_PID";
  private static final Logger log = LoggerFactory.getLogger(LauncherWatchdog.class);

  private final Optional<ProcessHandle> launcher;
  private ScheduledExecutorService timer;

  public LauncherWatchdog(String launcherPid) {
    this.launcher = launcherPid == null || launcherPid.isBlank()
        ? Optional.empty()
        : ProcessHandle.of(Long.parseLong(launcherPid.trim()));
    if (launcherPid != null && !launcherPid.isBlank() && launcher.isEmpty()) {
      // Already gone before we started: nobody will ever stop us.
      exit("launcher " + launcherPid + " is not running");
    }
  }

  @Override
  public synchronized void start() {
    if (launcher.isEmpty() || timer != null) return;
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "launcher-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    // isAlive() compares the start time too, so a recycled pid does not keep us running.
    timer.scheduleWithFixedDelay(() -> {
      if (!launcher.get().isAlive()) exit("launcher " + launcher.get().pid() + " is gone");
    }, 500, 500, TimeUnit.MILLISECONDS);
  }

  private static void exit(String why) {
    log.warn("{}: shutting down", why);
    // System.exit from a fresh thread: the shutdown hooks close the context (and free the port).
    new Thread(() -> System.exit(0), "launcher-watchdog-exit").start();
  }

  @Override
  public synchronized void stop() {
    if (timer != null) timer.shutdownNow();
    timer = null;
  }

  @Override
  public synchronized boolean isRunning() {
    return timer != null;
  }
}
