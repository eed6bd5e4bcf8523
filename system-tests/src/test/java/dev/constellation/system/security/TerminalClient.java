package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A browser's terminal: a ticket, then the WebSocket through the gateway, with the shell's output
 * (binary frames) as text and the server's JSON control messages (text frames) apart.
 */
public final class TerminalClient implements WebSocket.Listener {
  private static final Pattern ANSI =
      Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B\\][^\u0007]*\u0007|\u001B[=>]|\r");

  private final StringBuilder text = new StringBuilder();
  private final boolean reads;
  private final StringBuilder partialControl = new StringBuilder();

  /** The control messages received, in order ({@code session} first, {@code exit} last). */
  final java.util.List<tools.jackson.databind.JsonNode> controls =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The id of the session this socket is attached to, from the first control message. */
  final CompletableFuture<String> session = new CompletableFuture<>();

  /** The close reason the server sent, once closed with a close frame. */
  public volatile String closeReason;

  /**
   * The close code, -1 when the connection broke without a close frame, -2 when the handshake was
   * refused.
   */
  public final CompletableFuture<Integer> closed = new CompletableFuture<>();

  CompletableFuture<WebSocket> handshake;
  WebSocket socket;

  private TerminalClient(boolean reads) {
    this.reads = reads;
  }

  /**
   * Opens a terminal in the project; {@code reads=false} makes a client that never reads what the
   * shell prints.
   */
  static TerminalClient open(Workspaces.Project project, boolean reads, String extraQuery)
      throws Exception {
    return open(SystemStack.gatewayUrl(), project, reads, extraQuery);
  }

  /** A terminal through {@code baseUrl} (the gateway, or a service directly), with its Origin. */
  static TerminalClient open(
      String baseUrl, Workspaces.Project project, boolean reads, String extraQuery)
      throws Exception {
    Api api = new Api(baseUrl);
    var response =
        api.send(
            "POST",
            "/api/projects/" + project.id() + "/terminal/ticket",
            project.owner().accessToken(),
            null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String ticket = Api.json(response).path("ticket").asString();
    TerminalClient client = connect(baseUrl, project.id(), ticket, reads, extraQuery);
    client.socket = client.handshake.get(60, TimeUnit.SECONDS);
    return client;
  }

  /**
   * Starts the handshake with a ticket the caller already holds, without waiting for it: a
   * handshake the server refuses completes {@link #closed} with -2.
   */
  static TerminalClient connect(
      String baseUrl, String projectId, String ticket, boolean reads, String extraQuery) {
    URI uri =
        URI.create(
            baseUrl.replaceFirst("^http", "ws")
                + "/api/projects/"
                + projectId
                + "/terminal?ticket="
                + URLEncoder.encode(ticket, StandardCharsets.UTF_8)
                + extraQuery);
    TerminalClient client = new TerminalClient(reads);
    client.handshake =
        Api.HTTP
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .header("Origin", baseUrl)
            .buildAsync(uri, client);
    client.handshake.whenComplete(
        (ws, error) -> {
          if (error != null) client.closed.complete(-2);
        });
    return client;
  }

  public static TerminalClient open(Workspaces.Project project) throws Exception {
    return open(project, true, "");
  }

  /** Reattaches to session {@code sessionId} of the project. */
  public static TerminalClient reattach(Workspaces.Project project, String sessionId)
      throws Exception {
    return open(project, true, "&session=" + sessionId);
  }

  /** The session id the server announced, within {@code timeout}. */
  public String sessionId(Duration timeout) throws Exception {
    return session.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends a resize control message. */
  void resize(int cols, int rows) {
    socket
        .sendText("{\"type\":\"resize\",\"cols\":" + cols + ",\"rows\":" + rows + "}", true)
        .join();
  }

  void type(String input) {
    socket.sendBinary(ByteBuffer.wrap(input.getBytes(StandardCharsets.UTF_8)), true).join();
  }

  /** Types a command and waits for a line of output matching {@code line}. */
  public boolean run(String command, String line, Duration timeout) throws InterruptedException {
    type(command + "\r");
    // A line of its own — or right after the echo of the command: after a reattach tmux may move
    // the cursor to the next line instead of sending a newline, which the ANSI-stripped transcript
    // shows as "echo X=$XX=42" (TerminalSessionsIT failed so in a CI rehearsal).
    return await(Pattern.compile("(?m)(^|" + Pattern.quote(command) + ")" + line + "$"), timeout);
  }

  public void close() {
    if (!socket.isOutputClosed()) {
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // already broken
      }
    }
    socket.abort();
  }

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeReason = reason;
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.complete(-1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    append(new String(bytes, StandardCharsets.UTF_8));
    if (reads) ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    // Text frames are control messages only; the shell's output never comes as text.
    partialControl.append(data);
    if (last) {
      try {
        var node = Api.JSON.readTree(partialControl.toString());
        controls.add(node);
        if ("session".equals(node.path("type").asString()))
          session.complete(node.path("id").asString());
      } catch (RuntimeException notJson) {
        controls.add(
            tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(
                partialControl.toString()));
      }
      partialControl.setLength(0);
      synchronized (this) {
        notifyAll();
      }
    }
    if (reads) ws.request(1);
    return null;
  }

  private long received;

  /** Output bytes received so far. */
  synchronized long receivedBytes() {
    return received;
  }

  private synchronized void append(String s) {
    received += s.length();
    text.append(s);
    notifyAll();
  }

  public synchronized String clean() {
    return ANSI.matcher(text).replaceAll("");
  }

  public synchronized boolean await(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pattern.matcher(clean()).find()) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) return false;
      wait(left);
    }
    return true;
  }
}
