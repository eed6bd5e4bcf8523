package dev.constellation.system.load;

import dev.constellation.system.Api;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One developer's terminal as the browser holds it: a WebSocket through the gateway that stays open
 * for the whole run; typing goes key by key, as xterm sends it, and a command counts as answered
 * when its output line arrives.
 */
final class LoadTerminal implements WebSocket.Listener {
  /**
   * Moves to another line (cursor up/down/position, scroll): under load tmux draws a command's
   * output as "scroll the screen up, cursor up, the line" rather than after a newline, and that
   * output is a line of its own on the user's screen.
   */
  private static final Pattern LINE_MOVES = Pattern.compile("\u001B\\[[0-9;]*[ABEFHSTdf]");

  private static final Pattern ANSI =
      Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B\\][^\u0007]*\u0007|\u001B[=>]|\r");

  /** The output as lines of text: line moves become newlines, other control sequences go. */
  static String plain(CharSequence output) {
    return ANSI.matcher(LINE_MOVES.matcher(output).replaceAll("\n")).replaceAll("");
  }

  /** Output not yet matched: what is matched is dropped, so a long run keeps it small. */
  private final StringBuilder text = new StringBuilder();

  private final StringBuilder control = new StringBuilder();
  final CompletableFuture<String> session = new CompletableFuture<>();
  final CompletableFuture<String> closed = new CompletableFuture<>();
  private WebSocket socket;

  /** Opens the socket with a ticket the caller already holds; waits at most {@code timeout}. */
  static LoadTerminal open(String gateway, String projectId, String ticket, Duration timeout)
      throws Exception {
    LoadTerminal terminal = new LoadTerminal();
    URI uri =
        URI.create(
            gateway.replaceFirst("^http", "ws")
                + "/api/projects/"
                + projectId
                + "/terminal?ticket="
                + URLEncoder.encode(ticket, StandardCharsets.UTF_8));
    terminal.socket =
        Api.HTTP
            .newWebSocketBuilder()
            .connectTimeout(timeout)
            .header("Origin", gateway)
            .buildAsync(uri, terminal)
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return terminal;
  }

  /**
   * Types {@code command} key by key, then Enter, and waits for a line that is exactly {@code
   * expected}; answers false when it does not come within {@code timeout} or the socket closed.
   */
  boolean run(String command, String expected, Duration timeout) throws Exception {
    for (char c : command.toCharArray()) key(String.valueOf(c));
    key("\r");
    return await(Pattern.compile("(?m)^" + Pattern.quote(expected) + "\\s*$"), timeout);
  }

  private void key(String key) throws Exception {
    socket
        .sendBinary(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)), true)
        .get(10, TimeUnit.SECONDS);
  }

  /**
   * Whether the output since the last matched line shows {@code typed} (the shell's echo of the
   * keys): it tells a shell that got the keys but did not answer from keys that never arrived.
   */
  synchronized boolean echoed(String typed) {
    return plain(text).contains(typed);
  }

  /** Why the socket closed ("code reason"), or null while it is open. */
  String closedBecause() {
    return closed.getNow(null);
  }

  void close() {
    try {
      if (!socket.isOutputClosed())
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // already broken
    }
    socket.abort();
  }

  private synchronized boolean await(Pattern pattern, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String clean = plain(text);
      Matcher m = pattern.matcher(clean);
      if (m.find()) {
        text.setLength(0);
        return true;
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0 || closed.isDone()) return false;
      wait(Math.min(left, 1000));
    }
  }

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    synchronized (this) {
      text.append(new String(bytes, StandardCharsets.UTF_8));
      // Bounded: a screen redraw is a few KiB; only the tail can hold the awaited line.
      if (text.length() > 256 * 1024) text.delete(0, text.length() - 64 * 1024);
      notifyAll();
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    control.append(data);
    if (last) {
      var node = Api.JSON.readTree(control.toString());
      if ("session".equals(node.path("type").asString()))
        session.complete(node.path("id").asString());
      control.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.complete(statusCode + " " + reason);
    session.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
    synchronized (this) {
      notifyAll();
    }
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.complete("broken: " + error);
    session.completeExceptionally(error);
    synchronized (this) {
      notifyAll();
    }
  }
}
