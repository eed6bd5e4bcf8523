package dev.constellation.workspace.exec;

import dev.constellation.workspace.runtime.CommandEnd;
import dev.constellation.workspace.runtime.RunningCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * Relays a running command's output to an HTTP response as NDJSON lines, each flushed as it is
 * written, and kills the command when the response cannot be written any more.
 *
 * <p>The Servlet API does not tell a server that its client went away; only a write fails. A quiet
 * command (a {@code sleep}, a test waiting on a socket) writes nothing, so after {@link
 * #KEEP_ALIVE} of silence an empty stdout line goes out: a client that closed the connection is
 * noticed within two of them, and the command's process group is killed at once.
 */
final class CommandStream {
  /** Silence after which an empty line probes the connection. */
  static final Duration KEEP_ALIVE = Duration.ofMillis(200);

  private record Chunk(boolean stderr, byte[] bytes) {}

  /** Thrown when the client is gone; the command has been killed by then. */
  static final class ClientGone extends Exception {
    ClientGone(IOException cause) {
      super(cause);
    }
  }

  private final OutputStream out;
  private final JsonMapper json;
  private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
  private final int maxOutputBytes;
  private final CharsetDecoder stdoutText = decoder();
  private final CharsetDecoder stderrText = decoder();
  private final ByteBuffer[] pending = {ByteBuffer.allocate(0), ByteBuffer.allocate(0)};
  private long stdoutBytes;
  private long stderrBytes;
  private volatile boolean truncated;

  CommandStream(OutputStream out, JsonMapper json, int maxOutputBytes) {
    this.out = out;
    this.json = json;
    this.maxOutputBytes = maxOutputBytes;
  }

  /** The listener to start the command with: keeps each stream's bytes up to the cap. */
  RunningCommand.OutputListener listener() {
    return (stderr, bytes) -> {
      synchronized (this) {
        long used = stderr ? stderrBytes : stdoutBytes;
        long room = maxOutputBytes - used;
        if (room <= 0) {
          truncated = true;
          return;
        }
        if (bytes.length > room) {
          truncated = true;
          bytes = java.util.Arrays.copyOf(bytes, (int) room);
        }
        if (stderr) stderrBytes += bytes.length;
        else stdoutBytes += bytes.length;
      }
      queue.add(new Chunk(stderr, bytes));
    };
  }

  /**
   * Writes output as it comes until the command ends, then the last line; kills the command when
   * the client is gone (or this thread is interrupted). {@code tick} runs about every second; a
   * command that {@code stoppedByShutdown} killed ends with {@code killedBy: "service-restart"}.
   */
  CommandEnd relay(
      RunningCommand command,
      java.util.concurrent.atomic.AtomicBoolean stoppedByShutdown,
      Runnable tick)
      throws ClientGone {
    long lastWrite = System.nanoTime();
    long lastTick = lastWrite;
    CommandEnd end = null;
    try {
      while (true) {
        if (end == null) end = command.await(Duration.ZERO);
        Chunk chunk = queue.poll(end == null ? 50 : 0, TimeUnit.MILLISECONDS);
        if (chunk != null) {
          List<Chunk> chunks = new ArrayList<>();
          chunks.add(chunk);
          queue.drainTo(chunks);
          for (Chunk c : chunks) writeText(c.stderr(), decode(c.stderr(), c.bytes(), false));
          flush();
          lastWrite = System.nanoTime();
          continue;
        }
        if (end != null) {
          writeText(false, decode(false, new byte[0], true));
          writeText(true, decode(true, new byte[0], true));
          Map<String, Object> done = new LinkedHashMap<>();
          done.put("done", true);
          done.put("exitCode", end.exitCode());
          done.put("timedOut", end.timedOut());
          done.put(
              "killedBy",
              stoppedByShutdown.get() ? RunningStreams.KILLED_BY_RESTART : end.killedBy());
          done.put("truncated", truncated);
          writeLine(done);
          flush();
          return end;
        }
        long now = System.nanoTime();
        if (now - lastWrite >= KEEP_ALIVE.toNanos()) {
          writeText(false, "", true);
          flush();
          lastWrite = now;
        }
        if (now - lastTick >= TimeUnit.SECONDS.toNanos(1)) {
          tick.run();
          lastTick = now;
        }
      }
    } catch (IOException gone) {
      command.kill();
      throw new ClientGone(gone);
    } catch (InterruptedException e) {
      command.kill();
      Thread.currentThread().interrupt();
      throw new ClientGone(new IOException("interrupted", e));
    }
  }

  private void writeText(boolean stderr, String text) throws IOException {
    writeText(stderr, text, false);
  }

  private void writeText(boolean stderr, String text, boolean evenEmpty) throws IOException {
    if (text.isEmpty() && !evenEmpty) return;
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("stream", stderr ? "stderr" : "stdout");
    line.put("text", text);
    writeLine(line);
  }

  private void writeLine(Object line) throws IOException {
    out.write(json.writeValueAsBytes(line));
    out.write('\n');
  }

  private void flush() throws IOException {
    out.flush();
  }

  /**
   * UTF-8 text of the bytes so far; a character split between two chunks waits for its rest, an
   * invalid byte becomes U+FFFD.
   */
  private String decode(boolean stderr, byte[] bytes, boolean end) {
    int i = stderr ? 1 : 0;
    ByteBuffer in = ByteBuffer.allocate(pending[i].remaining() + bytes.length);
    in.put(pending[i]).put(bytes).flip();
    CharsetDecoder decoder = stderr ? stderrText : stdoutText;
    CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
    decoder.decode(in, chars, end);
    if (end) decoder.flush(chars);
    pending[i] = end ? ByteBuffer.allocate(0) : in.slice();
    chars.flip();
    return chars.toString();
  }

  private static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
  }
}
