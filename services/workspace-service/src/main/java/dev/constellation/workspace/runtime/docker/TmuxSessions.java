package dev.constellation.workspace.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import dev.constellation.workspace.runtime.CappedOutput;
import dev.constellation.workspace.runtime.TerminalListener;
import dev.constellation.workspace.runtime.TerminalProcess;
import dev.constellation.workspace.runtime.TerminalSession;
import dev.constellation.workspace.runtime.WorkspaceRuntime.RuntimeUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminal sessions as tmux sessions inside the workspace container, on a private server socket
 * ({@code tmux -L constellation}). Everything about a session lives in tmux — its shell, screen,
 * history, title (a session option) — so sessions outlive their WebSockets and a restart of this
 * service, and end with the container. A socket attaches by running {@code tmux attach} in a TTY
 * exec; closing it kills only that tmux client.
 */
final class TmuxSessions {
  private static final Logger log = LoggerFactory.getLogger(TmuxSessions.class);
  private static final String SOCKET = "constellation";

  /** Where the wrapper shell leaves a session's exit code and attach clients their pids. */
  private static final String STATE_DIR = "/tmp/.constellation-terminals";

  /**
   * Server options, set before the session's window exists so the history limit applies to it: no
   * status bar, no prefix key (every key goes to the shell), no escape delay (vim), and no
   * alternate screen for the outer terminal, so that what scrolls off lands in the browser
   * terminal's own scrollback.
   */
  private static final List<String> SERVER_OPTIONS =
      List.of(
          ("start-server ; set-option -g history-limit 10000 ; set-option -g status off ;"
                  + " set-option -g prefix None ; set-option -g escape-time 0 ;"
                  + " set-option -g set-titles off ; set-option -g default-terminal screen-256color ;"
                  + " set-option -as terminal-overrides ,*:smcup@:rmcup@ ;")
              .split(" "));

  /**
   * Short tmux commands running in the engine at once, from every workspace of this service. Each
   * is an engine exec (create, start, inspect), and the engine makes them one process at a time:
   * fifty terminals opening together used to start two hundred of them, and on two cores most
   * waited past their 10 s and the terminals closed. Above this many they queue here instead, and
   * the 10 s limit counts from their start. With 8 at once a few still passed 10 s on a loaded
   * machine (the engine shares its CPU among them); 4 keep each short at the same throughput.
   */
  static final int CONCURRENT_COMMANDS = 4;

  /** How long a tmux command may wait for its turn before the open (or list) gives up. */
  private static final long QUEUE_SECONDS = 60;

  private final Semaphore commands = new Semaphore(CONCURRENT_COMMANDS, true);

  /** How long one tmux command may run once its turn came. */
  private static final long TMUX_ANSWER_SECONDS = 30;

  private final DockerClient docker;
  private final ExecAgents agents;
  private final int uid;
  private final List<String> shell;
  private final long maxPendingInputBytes;

  TmuxSessions(
      DockerClient docker,
      ExecAgents agents,
      int uid,
      List<String> shell,
      long maxPendingInputBytes) {
    this.docker = docker;
    this.agents = agents;
    this.uid = uid;
    this.shell = List.copyOf(shell);
    this.maxPendingInputBytes = maxPendingInputBytes;
  }

  private static List<String> tmux(String... args) {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", SOCKET, "-f", "/dev/null"));
    command.addAll(List.of(args));
    return command;
  }

  TerminalSession create(String container, String id, String title, int cols, int rows) {
    List<String> command = newSession(id, cols, rows);
    command.add(title);
    Result result = run(container, command);
    if (result.exit() != 0)
      throw new RuntimeUnavailableException(
          "tmux could not start a session: " + result.output().trim(), null);
    return new TerminalSession(id, title, shell.get(0), Instant.now(), false);
  }

  /** Exit code of the create script when the container already holds its cap of sessions. */
  private static final int AT_CAP = 75;

  /**
   * A new session titled "Terminal n+1" after the n the container holds, or empty at {@code
   * maxSessions}: counted and created in one engine exec rather than a listing and then a create
   * (terminal opens are bounded by how many execs the engine makes a second).
   */
  Optional<TerminalSession> createWithin(
      String container, String id, int cols, int rows, int maxSessions) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "sh",
                "-c",
                "n=$(tmux -L "
                    + SOCKET
                    + " list-sessions 2>/dev/null | wc -l); [ \"$n\" -lt \"$0\" ] || exit "
                    + AT_CAP
                    + "; t=\"Terminal $((n + 1))\"; \"$@\" \"$t\" && echo \"$t\"",
                String.valueOf(maxSessions)));
    command.addAll(newSession(id, cols, rows));
    Result result = run(container, command);
    if (result.exit() == AT_CAP) return Optional.empty();
    if (result.exit() != 0)
      throw new RuntimeUnavailableException(
          "tmux could not start a session: " + result.output().trim(), null);
    String[] lines = result.output().strip().split("\n");
    return Optional.of(
        new TerminalSession(id, lines[lines.length - 1], shell.get(0), Instant.now(), false));
  }

  /** tmux's new-session of {@code id}, up to its title, which the caller appends. */
  private List<String> newSession(String id, int cols, int rows) {
    List<String> command = tmux();
    command.addAll(SERVER_OPTIONS);
    command.addAll(
        List.of(
            "new-session",
            "-d",
            "-s",
            id,
            "-x",
            String.valueOf(cols),
            "-y",
            String.valueOf(rows),
            "-c",
            "/workspace"));
    // The login shell runs under a small sh that records its exit code for the IDE.
    command.addAll(
        List.of(
            "sh",
            "-c",
            "\"$@\"; c=$?; mkdir -p " + STATE_DIR + " && echo $c > " + STATE_DIR + "/$0.exit",
            id));
    command.addAll(shell);
    command.addAll(List.of(";", "set-option", "@title"));
    return command;
  }

  List<TerminalSession> list(String container) {
    Result result;
    try {
      result =
          run(
              container,
              tmux(
                  "list-sessions",
                  "-F",
                  "#{session_name}\t#{session_created}\t#{session_attached}\t#{pane_current_command}\t#{@title}"));
    } catch (NotFoundException gone) {
      return List.of();
    }
    // "no server running": no session yet, or all ended
    if (result.exit() != 0) return List.of();
    List<TerminalSession> sessions = new ArrayList<>();
    for (String line : result.output().split("\n")) {
      String[] f = line.split("\t", -1);
      if (f.length < 5 || !TerminalSession.validId(f[0])) continue;
      Instant created;
      try {
        created = Instant.ofEpochSecond(Long.parseLong(f[1].trim()));
      } catch (NumberFormatException e) {
        created = Instant.EPOCH;
      }
      sessions.add(new TerminalSession(f[0], f[4], f[3], created, !"0".equals(f[2].trim())));
    }
    return sessions;
  }

  boolean kill(String container, String id) {
    return run(container, tmux("kill-session", "-t", "=" + id)).exit() == 0;
  }

  boolean rename(String container, String id, String title) {
    return run(container, tmux("set-option", "-t", "=" + id + ":", "@title", title)).exit() == 0;
  }

  Optional<TerminalProcess> attach(
      String container,
      String id,
      int cols,
      int rows,
      int scrollbackLines,
      TerminalListener listener) {
    // History only (the lines above the screen): the attach below redraws the screen itself. A
    // session just created has none (scrollbackLines 0): skipping the look saves one engine exec
    // per open, and execs are what queue when many terminals open at once.
    if (scrollbackLines > 0 && !replayHistory(container, id, rows, scrollbackLines, listener))
      return Optional.empty();
    return Optional.of(attachClient(container, id, cols, rows, listener));
  }

  /** Sends the session's history to {@code listener}; false when there is no such session. */
  private boolean replayHistory(
      String container, String id, int rows, int scrollbackLines, TerminalListener listener) {
    Result history =
        run(
            container,
            tmux(
                "capture-pane",
                "-p",
                "-e",
                "-J",
                "-S",
                "-" + scrollbackLines,
                "-E",
                "-1",
                "-t",
                "=" + id + ":"));
    if (history.exit() != 0) return false;
    String lines = history.output();
    if (!lines.isBlank()) {
      // Then enough blank lines to push the history off the screen into the scrollback before
      // tmux clears the screen to draw it: the user sees every line once.
      String replay = lines.replace("\n", "\r\n") + "\r\n".repeat(rows);
      listener.output(replay.getBytes(StandardCharsets.UTF_8));
    }
    return true;
  }

  private TerminalProcess attachClient(
      String container, String id, int cols, int rows, TerminalListener listener) {
    String client = UUID.randomUUID().toString();
    String execId =
        docker
            .execCreateCmd(container)
            .withCmd(
                "sh",
                "-c",
                "mkdir -p "
                    + STATE_DIR
                    + " && echo $$ > "
                    + STATE_DIR
                    + "/client-$0; exec tmux -L "
                    + SOCKET
                    + " attach-session -t \"=$1\"",
                client,
                id)
            .withUser(String.valueOf(uid))
            .withWorkingDir("/workspace")
            .withEnv(List.of("TERM=xterm-256color", "LANG=C.UTF-8"))
            .withTty(true)
            .withAttachStdin(true)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    var stdin = new StdinPipe(maxPendingInputBytes);
    var done = new AtomicBoolean();
    var callback =
        new ResultCallback.Adapter<Frame>() {
          @Override
          public void onNext(Frame frame) {
            byte[] payload = frame.getPayload();
            if (payload != null && payload.length > 0 && !done.get()) listener.output(payload);
          }

          @Override
          public void onComplete() {
            super.onComplete();
            ended();
          }

          @Override
          public void onError(Throwable throwable) {
            super.onError(throwable);
            ended();
          }

          private void ended() {
            if (!done.compareAndSet(false, true)) return;
            boolean gone;
            Integer code = null;
            try {
              gone = list(container).stream().noneMatch(s -> s.id().equals(id));
              if (gone) code = exitCode(container, id);
            } catch (RuntimeException engineAway) {
              gone = false;
            }
            listener.ended(gone, code);
          }
        };
    docker.execStartCmd(execId).withTty(true).withStdIn(stdin).exec(callback);
    var attachment = new Attachment(container, execId, client, stdin, callback, done);
    attachment.resize(cols, rows);
    return attachment;
  }

  private @Nullable Integer exitCode(String container, String id) {
    Result result =
        run(
            container,
            List.of(
                "sh",
                "-c",
                "cat " + STATE_DIR + "/$0.exit && rm -f " + STATE_DIR + "/$0.exit",
                id));
    try {
      return result.exit() == 0 ? Integer.valueOf(result.output().trim()) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private final class Attachment implements TerminalProcess {
    private final String container;
    private final String execId;
    private final String client;
    private final StdinPipe stdin;
    private final ResultCallback.Adapter<Frame> callback;
    private final AtomicBoolean done;

    Attachment(
        String container,
        String execId,
        String client,
        StdinPipe stdin,
        ResultCallback.Adapter<Frame> callback,
        AtomicBoolean done) {
      this.container = container;
      this.execId = execId;
      this.client = client;
      this.stdin = stdin;
      this.callback = callback;
      this.done = done;
    }

    @Override
    public boolean write(byte[] input) {
      return stdin.offer(input);
    }

    @Override
    public void resize(int cols, int rows) {
      try {
        docker.resizeExecCmd(execId).withSize(rows, cols).exec();
      } catch (RuntimeException e) {
        // the exec may not have started yet or already ended; the next resize will do
      }
    }

    @Override
    public void close() {
      if (!done.compareAndSet(false, true)) return;
      stdin.close();
      // An exec outlives its attach connection: the tmux client is told to go (the session stays).
      try {
        run(
            container,
            List.of(
                "sh",
                "-c",
                "f="
                    + STATE_DIR
                    + "/client-$0; [ -f $f ] && kill -HUP $(cat $f) 2>/dev/null; rm -f $f",
                client));
      } catch (RuntimeException e) {
        log.debug("could not detach tmux client {}: {}", client, e.toString());
      }
      try {
        callback.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  record Result(int exit, String output) {}

  /**
   * A short command in the container as the workspace user; output capped at 1 MiB. Through the
   * container's exec agent when it has one; as engine execs, at most {@link #CONCURRENT_COMMANDS}
   * run at once and the rest wait their turn (up to {@link #QUEUE_SECONDS}).
   */
  Result run(String container, List<String> command) {
    var out = new CappedOutput(1 << 20);
    ContainerProcess viaAgent =
        agents.run(
            container,
            command,
            Duration.ofSeconds(TMUX_ANSWER_SECONDS),
            // Unmarked: the tmux server a new session starts outlives this command.
            false,
            (stderr, payload) -> out.append(payload, 0, payload.length));
    if (viaAgent != null) {
      try {
        if (!viaAgent.await(Duration.ofSeconds(TMUX_ANSWER_SECONDS + 5)))
          throw new RuntimeUnavailableException(
              "tmux did not answer within " + TMUX_ANSWER_SECONDS + " s", null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuntimeUnavailableException("interrupted", e);
      }
      return new Result(viaAgent.exitCode(), out.text());
    }
    try {
      if (!commands.tryAcquire(QUEUE_SECONDS, TimeUnit.SECONDS))
        throw new RuntimeUnavailableException(
            "the engine is busy: a terminal command waited " + QUEUE_SECONDS + " s for its turn",
            null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted", e);
    }
    try {
      return runNow(container, command);
    } finally {
      commands.release();
    }
  }

  private Result runNow(String container, List<String> command) {
    try {
      String execId =
          docker
              .execCreateCmd(container)
              .withCmd(command.toArray(String[]::new))
              .withUser(String.valueOf(uid))
              .withWorkingDir("/workspace")
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
      var out = new CappedOutput(1 << 20);
      var callback =
          new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              if (frame.getPayload() != null)
                out.append(frame.getPayload(), 0, frame.getPayload().length);
            }
          };
      docker.execStartCmd(execId).exec(callback);
      // Counted from its turn in the queue above, but the engine shares two cores with the
      // crowd's own execs: under TeamLoadIT a session create once took past 10 s, and the
      // terminal closed 1011 where waiting longer would have opened it.
      if (!callback.awaitCompletion(TMUX_ANSWER_SECONDS, TimeUnit.SECONDS))
        throw new RuntimeUnavailableException(
            "tmux did not answer within " + TMUX_ANSWER_SECONDS + " s", null);
      Long exit = docker.inspectExecCmd(execId).exec().getExitCodeLong();
      return new Result(exit == null ? -1 : exit.intValue(), out.text());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted", e);
    } catch (NotFoundException e) {
      throw e;
    } catch (DockerException e) {
      throw new RuntimeUnavailableException(
          "Docker refused a terminal command: " + e.getMessage(), e);
    }
  }
}
