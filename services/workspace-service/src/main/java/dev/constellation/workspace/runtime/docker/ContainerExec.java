package dev.constellation.workspace.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One program run by the engine in a workspace container, as the workspace user in /workspace with
 * its output attached: the single place that creates, attaches, collects and kills an exec (the
 * runtime's exec, run and execLines all go through it).
 *
 * <p>The engine cannot kill an exec, and closing the attached stream only ends a program at its
 * next write. So every exec runs under {@code timeout(1)} — which the engine starts as a session
 * and process-group leader, taking the program and its children along — and carries a marker in its
 * environment. {@link #kill} is one more short exec that finds the marked processes and kills their
 * process groups: a silent {@code sleep 300} and what the command put in the background die with
 * it, not only the engine's client.
 */
final class ContainerExec implements ContainerProcess {
  private static final Logger log = LoggerFactory.getLogger(ContainerExec.class);
  static final String MARKER = "CONSTELLATION_EXEC";

  /** Kills the process group of every process whose environment carries the marker ($0). */
  private static final String KILL_SCRIPT =
      "ps -eo pid=,pgid= | while read p g; do"
          + " grep -qxz \""
          + MARKER
          + "=$0\" /proc/$p/environ 2>/dev/null"
          + " && { kill -KILL -- -$g; kill -KILL $p; } 2>/dev/null; done; true";

  private final DockerClient docker;
  private final String container;
  private final int uid;
  private final String marker = UUID.randomUUID().toString();
  private final String execId;
  private final ResultCallback.Adapter<Frame> callback;
  private final long startedAt = System.nanoTime();
  private final long timeoutNanos;
  private final AtomicBoolean killed = new AtomicBoolean();

  /**
   * Counted down when the output ends. The callback's own awaitCompletion(timeout) closes the
   * stream when it returns, so it cannot be polled.
   */
  private final CountDownLatch ended = new CountDownLatch(1);

  /**
   * Starts {@code argv} (no shell in between) with {@code stdin} as its input when given; {@code
   * timeout(1)} kills it at {@code timeout}, rounded up to whole seconds.
   */
  ContainerExec(
      DockerClient docker,
      String container,
      int uid,
      List<String> argv,
      Duration timeout,
      @Nullable InputStream stdin,
      Frames frames) {
    this.docker = docker;
    this.container = container;
    this.uid = uid;
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    this.timeoutNanos = TimeUnit.SECONDS.toNanos(seconds);
    List<String> command = new ArrayList<>(List.of("timeout", "-s", "KILL", seconds + "s"));
    command.addAll(argv);
    this.execId =
        docker
            .execCreateCmd(container)
            .withCmd(command.toArray(String[]::new))
            .withUser(String.valueOf(uid))
            .withWorkingDir("/workspace")
            .withEnv(List.of(MARKER + "=" + marker))
            .withAttachStdin(stdin != null)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    this.callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            byte[] payload = frame.getPayload();
            if (payload == null || payload.length == 0) return;
            frames.accept(frame.getStreamType() == StreamType.STDERR, payload);
          }

          @Override
          public void onComplete() {
            super.onComplete();
            ended.countDown();
          }

          @Override
          public void onError(Throwable error) {
            log.debug("exec in {} broke off: {}", container, error.toString());
            super.onError(error);
            ended.countDown();
          }
        };
    var start = docker.execStartCmd(execId);
    if (stdin != null) start.withStdIn(stdin);
    start.exec(callback);
  }

  /** Waits at most {@code wait} for the program's output to end; true when it did. */
  @Override
  public boolean await(Duration wait) throws InterruptedException {
    return ended.await(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Past its timeout with a margin for timeout(1) itself: the caller should give up on it. */
  @Override
  public boolean overdue() {
    return System.nanoTime() - startedAt > timeoutNanos + TimeUnit.SECONDS.toNanos(5);
  }

  /**
   * The exit code once ended, -1 when unknown; a program killed by a signal answers 128 + its
   * number (137 for the KILL of timeout(1) or of {@link #kill}).
   */
  @Override
  public int exitCode() {
    try {
      // The output can end a moment before the engine has recorded the exit.
      for (int attempt = 0; attempt < 25; attempt++) {
        var state = docker.inspectExecCmd(execId).exec();
        if (state.getExitCodeLong() != null && !Boolean.TRUE.equals(state.isRunning()))
          return state.getExitCodeLong().intValue();
        Thread.sleep(20);
      }
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** Whether an exit code of 137 came from timeout(1): the KILL arrived at the timeout. */
  @Override
  public boolean killedAtTimeout(int exitCode) {
    return exitCode == 137
        && !killed.get()
        && System.nanoTime() - startedAt >= timeoutNanos - TimeUnit.MILLISECONDS.toNanos(200);
  }

  @Override
  public boolean killed() {
    return killed.get();
  }

  /**
   * Stops reading the output: the program fails at its next write (SIGPIPE), as a reader that wants
   * no more lines asks.
   */
  @Override
  public void detach() {
    try {
      callback.close();
    } catch (IOException ignored) {
      // closed either way
    }
  }

  /** Kills the program's process groups now and stops reading; returns once they are signalled. */
  @Override
  public void kill() {
    if (!killed.compareAndSet(false, true)) return;
    killMarked(docker, container, uid, marker);
    detach();
  }

  /**
   * Kills, with one engine exec, the process groups of every process whose environment carries
   * {@code marker}; returns once they are signalled.
   */
  static void killMarked(DockerClient docker, String container, int uid, String marker) {
    try {
      String killId =
          docker
              .execCreateCmd(container)
              .withCmd("sh", "-c", KILL_SCRIPT, marker)
              .withUser(String.valueOf(uid))
              .exec()
              .getId();
      docker
          .execStartCmd(killId)
          .exec(new ResultCallback.Adapter<Frame>())
          .awaitCompletion(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the container is gone (its processes with it) or the engine is away
      log.debug("could not kill marked processes in {}: {}", container, e.toString());
    }
  }
}
