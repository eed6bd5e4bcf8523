package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP and WebSocket client for the service under test, acting as one user. */
final class Api {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern ANSI =
      Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B\\][^\u0007]*\u0007|\u001B[=>]|\r");

  final String base;
  final String token;
  final String userId;

  Api(int port, JwtCodec jwt, String userId) {
    this(
        port,
        userId,
        jwt.sign(
            new AuthenticatedUser(userId, userId + "@example.com", Set.of("USER")),
            Duration.ofMinutes(15)));
  }

  private Api(int port, String userId, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.userId = userId;
    this.token = token;
  }

  /** A caller without a token, or with whatever token a test hands it. */
  static Api withToken(int port, String token) {
    return new Api(port, "anonymous", token);
  }

  record Response(int status, byte[] body, java.net.http.HttpHeaders headers) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      return JSON.readTree(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  Response send(String method, String path, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    try {
      HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  Response get(String path) {
    return send("GET", path, null);
  }

  Response post(String path, String json) {
    return send(
        "POST",
        path,
        json == null ? null : json.getBytes(StandardCharsets.UTF_8),
        "Content-Type",
        "application/json");
  }

  JsonNode exec(String projectId, String command) {
    Response r =
        post(
            "/api/projects/" + projectId + "/exec",
            JSON.writeValueAsString(java.util.Map.of("command", command)));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  static String q(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * A ticket for a terminal in the project, whose workspace is started first (a socket never does).
   */
  String ticket(String projectId) {
    Response started = post("/api/projects/" + projectId + "/workspace/start", null);
    assertThat(started.status()).as(started.text()).isEqualTo(200);
    Response r = post("/api/projects/" + projectId + "/terminal/ticket", null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().get("ticket").asString();
  }

  static String stripAnsi(String s) {
    return ANSI.matcher(s).replaceAll("");
  }

  /** A terminal WebSocket whose output accumulates as text. */
  static final class Terminal implements WebSocket.Listener {
    final StringBuffer output = new StringBuffer();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final LinkedBlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    WebSocket socket;

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      String s = new String(bytes, StandardCharsets.UTF_8);
      output.append(s);
      chunks.add(s);
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      output.append(data);
      chunks.add(data.toString());
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(-1);
    }

    void type(String text) {
      socket.sendText(text, true).join();
    }

    String clean() {
      return stripAnsi(output.toString());
    }

    /** Waits until the cleaned output matches. */
    boolean await(Pattern pattern, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (pattern.matcher(clean()).find()) return true;
        chunks.poll(50, TimeUnit.MILLISECONDS);
      }
      return pattern.matcher(clean()).find();
    }
  }

  /** The HTTP status with which a handshake was refused (or 101 when it was accepted). */
  static int handshakeStatus(CompletableFuture<Terminal> attempt) {
    try {
      attempt.get(20, TimeUnit.SECONDS).socket.sendClose(1000, "").join();
      return 101;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h)
        return h.getResponse().statusCode();
      throw new IllegalStateException(e);
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  CompletableFuture<Terminal> connect(String projectId, String ticket, String origin) {
    Terminal terminal = new Terminal();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    // A browser always sends Origin; these tests play the IDE's own page unless told otherwise.
    b.header("Origin", origin != null ? origin : base);
    String url =
        base.replace("http://", "ws://")
            + "/api/projects/"
            + projectId
            + "/terminal"
            + (ticket == null ? "" : "?ticket=" + ticket);
    return b.buildAsync(URI.create(url), terminal)
        .thenApply(
            ws -> {
              terminal.socket = ws;
              return terminal;
            });
  }
}
