package dev.constellation.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A browser's terminal path: ticket and WebSocket through the gateway's proxy into a workspace. */
class TerminalThroughGatewayIT {
  private static final Pattern ANSI =
      Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B\\][^\u0007]*\u0007|\u001B[=>]|\r");

  @Test
  void typedCommandRunsInTheWorkspaceAndForeignOriginsAreRefused() throws Exception {
    // The system stack registers several accounts, which the single-user local runtime refuses.
    assumeTrue(
        Docker.available(), "no Docker engine: the local runtime cannot serve a second account");
    String gateway = SystemStack.gatewayUrl();
    Api api = new Api(gateway);
    Api.Session owner = api.register("terminal");
    var created =
        api.send(
            "POST",
            "/api/projects",
            owner.accessToken(),
            Map.of("name", "Shell", "templateId", "blank"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String projectId = Api.json(created).path("id").asString();
    try {
      // A terminal socket never starts a workspace: the IDE starts it first.
      var started =
          api.send(
              "POST", "/api/projects/" + projectId + "/workspace/start", owner.accessToken(), null);
      assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
      Output output = new Output();
      WebSocket socket =
          connect(gateway, projectId, ticket(api, owner, projectId), gateway, output)
              .get(60, TimeUnit.SECONDS);
      socket
          .sendBinary(
              ByteBuffer.wrap("echo hello-from-gateway\r".getBytes(StandardCharsets.UTF_8)), true)
          .join();
      // Whole line only: the echo of the typed command also contains the word.
      assertThat(output.await(Pattern.compile("(?m)^hello-from-gateway$"), Duration.ofSeconds(30)))
          .as("terminal output: %s", output.clean())
          .isTrue();
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();

      Output foreign = new Output();
      var attempt =
          connect(
              gateway,
              projectId,
              ticket(api, owner, projectId),
              "https://evil.example.net",
              foreign);
      // The gateway refuses a foreign Origin at the handshake, before anything is upgraded.
      Throwable refused = catchThrowable(() -> attempt.get(30, TimeUnit.SECONDS));
      assertThat(refused)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(WebSocketHandshakeException.class);
      assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode())
          .isEqualTo(403);
    } finally {
      // Removes the container too, which otherwise outlives the stack.
      api.send("DELETE", "/api/projects/" + projectId, owner.accessToken(), null);
    }
  }

  private static String ticket(Api api, Api.Session user, String projectId) throws Exception {
    var response =
        api.send(
            "POST", "/api/projects/" + projectId + "/terminal/ticket", user.accessToken(), null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Api.json(response).path("ticket").asString();
  }

  private static CompletableFuture<WebSocket> connect(
      String gateway, String projectId, String ticket, String origin, Output output) {
    URI uri =
        URI.create(
            gateway.replaceFirst("^http", "ws")
                + "/api/projects/"
                + projectId
                + "/terminal?ticket="
                + URLEncoder.encode(ticket, StandardCharsets.UTF_8));
    return Api.HTTP
        .newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(20))
        .header("Origin", origin)
        .buildAsync(uri, output);
  }

  /** Everything the shell wrote, as text. */
  private static final class Output implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    /** The close code, or -1 when the connection broke without a close frame. */
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
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
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      append(data.toString());
      ws.request(1);
      return null;
    }

    private synchronized void append(String s) {
      text.append(s);
      notifyAll();
    }

    synchronized String clean() {
      return ANSI.matcher(text).replaceAll("");
    }

    synchronized boolean await(Pattern pattern, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!pattern.matcher(clean()).find()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) return false;
        wait(left);
      }
      return true;
    }
  }
}
