package dev.constellation.common.resilience;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * A service started by the local launcher ({@code make run}, the system tests) exits when the
 * launcher is gone — even after a {@code kill -9} of it, which runs no shutdown hook — instead of
 * staying behind as an orphan on its port. The launcher passes its pid in {@value #PID_VARIABLE};
 * without it (Docker, Kubernetes) this does nothing. It starts with the application, before the
 * context, so that a service still starting up goes too.
 */
public final class LauncherWatchdog implements ApplicationListener<ApplicationStartingEvent> {
  public static final String PID_VARIABLE = "CONSTELLATION_LAUNCHER_PID";
  private static final Logger log = LoggerFactory.getLogger(LauncherWatchdog.class);
  private static final AtomicBoolean started = new AtomicBoolean();

  @Override
  public void onApplicationEvent(ApplicationStartingEvent event) {
    String pid = System.getenv(PID_VARIABLE);
    if (pid == null || pid.isBlank() || !started.compareAndSet(false, true)) return;
    var launcher = ProcessHandle.of(Long.parseLong(pid.trim()));
    if (launcher.isEmpty()) {
      exit("launcher " + pid + " is not running");
      return;
    }
    Thread watcher =
        new Thread(
            () -> {
              // isAlive() compares the start time too, so a recycled pid does not keep us running.
              while (launcher.get().isAlive()) {
                try {
                  Thread.sleep(500);
                } catch (InterruptedException e) {
                  return;
                }
              }
              exit("launcher " + pid + " is gone");
            },
            "launcher-watchdog");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void exit(String why) {
    log.warn("{}: shutting down", why);
    // The shutdown hooks close the context and free the port; halt if that hangs.
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(20_000);
              } catch (InterruptedException ignored) {
                // exiting anyway
              }
              Runtime.getRuntime().halt(1);
            },
            "launcher-watchdog-halt");
    halt.setDaemon(true);
    halt.start();
    new Thread(() -> System.exit(0), "launcher-watchdog-exit").start();
  }
}
