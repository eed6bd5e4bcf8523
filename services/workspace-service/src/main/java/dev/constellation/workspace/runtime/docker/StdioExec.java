package dev.constellation.workspace.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.constellation.workspace.runtime.StdioProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process in a workspace container with attached stdin and stdout and no TTY (a TTY would rewrite
 * the bytes of a protocol). It runs in a session of its own whose id is left in the container,
 * because the engine cannot kill an exec: close kills the whole process group (a language server's
 * own children, such as tsserver, too).
 */
final class StdioExec implements StdioProcess {
  private static final Logger log = LoggerFactory.getLogger(StdioExec.class);
  private static final String STATE_DIR = "/tmp/.constellation-stdio";

  /** More than this waiting for the bridge to read means it does not: the process is ended. */
  private static final long MAX_PENDING_OUTPUT_BYTES = 64L << 20;

  private final DockerClient docker;
  private final String container;
  private final int uid;
  private final String id = UUID.randomUUID().toString();
  private final StdinPipe stdin;
  private final StdinPipe stdout = new StdinPipe(MAX_PENDING_OUTPUT_BYTES);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ResultCallback.Adapter<Frame> callback;
  private final String execId;

  StdioExec(DockerClient docker, String container, int uid, List<String> command, long maxInput) {
    this.docker = docker;
    this.container = container;
    this.uid = uid;
    this.stdin = new StdinPipe(maxInput);
    List<String> line = new ArrayList<>();
    // setsid makes the shell (then the command, which keeps its pid) a process group leader.
    line.addAll(
        List.of(
            "setsid",
            "-w",
            "sh",
            "-c",
            "mkdir -p "
                + STATE_DIR
                + " && echo $$ > "
                + STATE_DIR
                + "/$0; command -v \"$1\" >/dev/null || exit 127; exec \"$@\"",
            id));
    line.addAll(command);
    this.execId =
        docker
            .execCreateCmd(container)
            .withCmd(line.toArray(String[]::new))
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
              if (log.isTraceEnabled())
                log.trace("stderr of {}: {}", command.get(0), new String(payload).strip());
              return;
            }
            if (!stdout.offer(payload)) {
              log.info("{} in {}: its output is not read, ending it", command.get(0), container);
              StdioExec.this.close();
            }
          }

          @Override
          public void onComplete() {
            super.onComplete();
            stdout.finish();
          }

          @Override
          public void onError(Throwable throwable) {
            super.onError(throwable);
            stdout.finish();
          }
        };
    docker.execStartCmd(execId).withStdIn(stdin).exec(callback);
  }

  @Override
  public InputStream stdout() {
    return stdout;
  }

  @Override
  public OutputStream stdin() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        byte[] chunk = new byte[length];
        System.arraycopy(bytes, offset, chunk, 0, length);
        if (closed.get()) throw new IOException("the process was closed");
        if (!stdin.offer(chunk)) throw new IOException("the process does not read its input");
      }
    };
  }

  @Override
  public OptionalInt exitCode() {
    try {
      callback.awaitCompletion(5, TimeUnit.SECONDS);
      Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
      return code == null ? OptionalInt.empty() : OptionalInt.of(code.intValue());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    } catch (RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    stdin.close();
    stdout.close();
    // The kill is one more exec (tens of ms): not on the caller's (a WebSocket's) thread.
    Thread killer =
        new Thread(
            () -> {
              try {
                String kill =
                    "f="
                        + STATE_DIR
                        + "/$0; [ -f $f ] && kill -TERM -- -$(cat $f) 2>/dev/null; rm -f $f";
                String killId =
                    docker
                        .execCreateCmd(container)
                        .withCmd("sh", "-c", kill, id)
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
                // the container is gone (stopped with its processes) or the engine is away
                log.debug("could not end process {} in {}: {}", id, container, e.toString());
              }
              try {
                callback.close();
              } catch (IOException ignored) {
                // already closed
              }
            },
            "stdio-exec-kill");
    killer.setDaemon(true);
    killer.start();
  }
}
