package dev.constellation.workspace.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small program of ours (exec-agent.py, on the image's python3) that runs in a workspace
 * container for as long as the container does and starts the service's short commands there: one
 * engine exec per container instead of one (create, start, inspect) per command. With a crowd at
 * work the engine's exec queue was the first limit — a terminal open waited behind everybody's
 * commands.
 *
 * <p>It runs as the workspace user, like every exec, so it can do nothing a command could not;
 * commands run exactly as an exec's would (same user, environment, directory, a process group of
 * their own, the same marker that {@link ContainerExec#killMarked} finds). When it is gone (the
 * user killed it, the container stopped) its running commands end with -1 and are killed by marker,
 * and the next command starts a new one.
 */
final class ExecAgent {
  private static final Logger log = LoggerFactory.getLogger(ExecAgent.class);
  private static final String SOURCE = source();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The agent's longest line is one 64 KiB chunk of output in base64 with its envelope. */
  private static final int MAX_LINE_BYTES = 1 << 17;

  /** What one agent may hold of requests not yet read: far above a burst of commands. */
  private static final long MAX_PENDING_REQUESTS = 1 << 20;

  private final DockerClient docker;
  private final String container;
  private final int uid;
  private final StdinPipe requests = new StdinPipe(MAX_PENDING_REQUESTS);
  private final Map<Long, Command> running = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean overlong;
  private final ResultCallback.Adapter<Frame> callback;
  private volatile boolean ended;
  private volatile boolean saidReady;

  private ExecAgent(DockerClient docker, String container, int uid) {
    this.docker = docker;
    this.container = container;
    this.uid = uid;
    String execId =
        docker
            .execCreateCmd(container)
            .withCmd("python3", "-u", "-c", SOURCE, "constellation-exec-agent")
            .withUser(String.valueOf(uid))
            .withWorkingDir("/workspace")
            .withAttachStdin(true)
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
            if (frame.getStreamType() == StreamType.STDERR) {
              log.debug(
                  "exec agent in {}: {}", container, new String(payload, StandardCharsets.UTF_8));
              return;
            }
            read(payload);
          }

          @Override
          public void onComplete() {
            super.onComplete();
            end();
          }

          @Override
          public void onError(Throwable error) {
            super.onError(error);
            end();
          }
        };
    docker.execStartCmd(execId).withStdIn(requests).exec(callback);
  }

  /** Starts an agent in {@code container}; it takes requests once it said it is ready. */
  static ExecAgent launch(DockerClient docker, String container, int uid) {
    return new ExecAgent(docker, container, uid);
  }

  /** Waits at most {@code wait} for the agent to say it is ready; false if not (yet, or ever). */
  boolean awaitReady(Duration wait) throws InterruptedException {
    return ready.await(wait.toMillis(), TimeUnit.MILLISECONDS) && !ended;
  }

  /** Whether it ended without ever saying it was ready (no python3 in the image, say). */
  boolean neverReady() {
    return ended && !saidReady;
  }

  boolean alive() {
    return !ended;
  }

  /**
   * Starts {@code argv} (no shell in between) with no input; the agent kills it at {@code timeout}.
   * A {@code marked} one carries the marker in its environment, and whatever it leaves behind dies
   * with it; otherwise only its process group does. Null when the agent is gone or cannot take the
   * request: the caller uses an engine exec.
   */
  ContainerProcess run(
      List<String> argv, Duration timeout, boolean marked, ContainerProcess.Frames frames) {
    if (ended) return null;
    Command command = new Command(ids.incrementAndGet(), timeout, frames);
    running.put(command.id, command);
    boolean sent =
        send(
            Map.of(
                "r",
                command.id,
                "argv",
                argv,
                "timeout",
                timeout.toMillis() / 1000.0,
                "marker",
                command.marker,
                "unmarked",
                !marked));
    if (!sent || ended) {
      running.remove(command.id);
      return null;
    }
    return command;
  }

  void close() {
    requests.close();
    try {
      callback.close();
    } catch (IOException ignored) {
      // closed either way
    }
  }

  private boolean send(Map<String, Object> request) {
    byte[] bytes = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
    return requests.offer(bytes);
  }

  /**
   * Protocol lines, cut from the agent's stdout as it arrives (one reading thread). A process of
   * the workspace user could write to that pipe too: a line longer than any the agent writes is
   * dropped rather than held.
   */
  private void read(byte[] payload) {
    int from = 0;
    for (int i = 0; i < payload.length; i++) {
      if (payload[i] != '\n') continue;
      append(payload, from, i - from);
      from = i + 1;
      if (!overlong) handle(line.toString(StandardCharsets.UTF_8));
      line.reset();
      overlong = false;
    }
    append(payload, from, payload.length - from);
  }

  private void append(byte[] bytes, int from, int length) {
    if (overlong || line.size() + length > MAX_LINE_BYTES) {
      overlong = true;
      line.reset();
      return;
    }
    line.write(bytes, from, length);
  }

  private void handle(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (RuntimeException malformed) {
      log.debug("exec agent in {} said something else: {}", container, text);
      return;
    }
    if (message.has("ready")) {
      saidReady = true;
      ready.countDown();
      return;
    }
    Command command = running.get(message.path("i").asLong(-1));
    if (command == null) return; // ended already; a background child's late output
    if (message.has("o")) command.output(false, message.path("o").asString());
    else if (message.has("e")) command.output(true, message.path("e").asString());
    else if (message.has("x")) {
      running.remove(command.id);
      command.end(message.path("x").asInt(-1), message.path("t").asBoolean(false));
    }
  }

  private void end() {
    ended = true;
    ready.countDown();
    requests.close();
    if (running.isEmpty()) return;
    log.info(
        "the exec agent in {} ended with {} commands running: they end with -1",
        container,
        running.size());
    for (Command command : List.copyOf(running.values())) {
      running.remove(command.id);
      // Its own timer died with the agent: the engine kills what it left.
      Thread killer =
          new Thread(
              () -> ContainerExec.killMarked(docker, container, uid, command.marker),
              "exec-agent-orphans");
      killer.setDaemon(true);
      killer.start();
      command.end(-1, false);
    }
  }

  private final class Command implements ContainerProcess {
    final long id;
    final String marker = UUID.randomUUID().toString();
    private final ContainerProcess.Frames frames;
    private final long startedAt = System.nanoTime();
    private final long timeoutNanos;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean killed = new AtomicBoolean();
    private volatile boolean detached;
    private volatile int exitCode = -1;
    private volatile boolean timedOut;

    Command(long id, Duration timeout, ContainerProcess.Frames frames) {
      this.id = id;
      this.timeoutNanos = timeout.toNanos();
      this.frames = frames;
    }

    void output(boolean stderr, String base64) {
      if (!detached) frames.accept(stderr, Base64.getDecoder().decode(base64));
    }

    void end(int code, boolean atTimeout) {
      exitCode = code;
      timedOut = atTimeout;
      done.countDown();
    }

    @Override
    public boolean await(Duration wait) throws InterruptedException {
      return done.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean overdue() {
      return System.nanoTime() - startedAt > timeoutNanos + TimeUnit.SECONDS.toNanos(5);
    }

    @Override
    public int exitCode() {
      return exitCode;
    }

    @Override
    public boolean killedAtTimeout(int code) {
      return code == 137 && timedOut;
    }

    @Override
    public boolean killed() {
      return killed.get();
    }

    /** The agent has no reader to let go of: a command whose output is not wanted is killed. */
    @Override
    public void detach() {
      detached = true;
      kill();
    }

    @Override
    public void kill() {
      if (!killed.compareAndSet(false, true) || done.getCount() == 0) return;
      try {
        if (send(Map.of("k", id)) && done.await(5, TimeUnit.SECONDS)) return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // The agent did not answer (frozen, or gone): the engine kills by marker.
      ContainerExec.killMarked(docker, container, uid, marker);
    }
  }

  private static String source() {
    try (InputStream in = ExecAgent.class.getResourceAsStream("exec-agent.py")) {
      if (in == null) throw new IllegalStateException("exec-agent.py is missing from the jar");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
