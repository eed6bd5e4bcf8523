package dev.constellation.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.terminal.TerminalTickets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProxyIT extends GatewayTestBase {
  @Autowired RedisConnectionFactory redisConnections;

  @Test
  void routesEachPathToItsService() {
    String token = anyUser().accessToken();
    assertThat(get("/api/projects", token).json().get("service").asString())
        .isEqualTo("project-service");
    assertThat(get("/api/projects/p1", token).json().get("service").asString())
        .isEqualTo("project-service");
    assertThat(get("/api/projects/p1/members/u1", token).json().get("service").asString())
        .isEqualTo("project-service");
    assertThat(get("/api/projects/p1/export", token).json().get("service").asString())
        .isEqualTo("project-service");
    assertThat(get("/api/projects/p1/access", token).json().get("service").asString())
        .isEqualTo("project-service");
    assertThat(get("/api/admin/audit?page=0", token).json().get("service").asString())
        .isEqualTo("project-service");
    assertThat(get("/api/projects/p1/workspace", token).json().get("service").asString())
        .isEqualTo("workspace-service");
    assertThat(get("/api/projects/p1/files?path=", token).json().get("service").asString())
        .isEqualTo("workspace-service");
    assertThat(get("/api/projects/p1/files/content?path=a.txt", token).json().get("uri").asString())
        .isEqualTo("/api/projects/p1/files/content?path=a.txt");
    assertThat(postJson("/api/projects/p1/exec", "{}", token).json().get("service").asString())
        .isEqualTo("workspace-service");
    assertThat(
            postJson("/api/projects/p1/terminal/ticket", "{}", token)
                .json()
                .get("service")
                .asString())
        .isEqualTo("workspace-service");
    assertThat(get("/api/projects/p1/conversations", token).json().get("service").asString())
        .isEqualTo("claude-service");
    assertThat(get("/api/conversations/c1", token).json().get("service").asString())
        .isEqualTo("claude-service");
    assertThat(postJson("/api/projects/p1/ai/edits", "{}", token).json().get("service").asString())
        .isEqualTo("claude-service");
    assertThat(get("/api/admin/usage", token).json().get("service").asString())
        .isEqualTo("claude-service");
  }

  @Test
  void templatesNeedNoToken() {
    assertThat(get("/api/templates", null).json().get("service").asString())
        .isEqualTo("project-service");
    assertProblem(postJson("/api/templates", "{}", null), 401);
  }

  @Test
  void stripsClientIdentityHeadersAndForwardsTokenAndRequestId() {
    String token = anyUser().accessToken();
    Response response =
        send(
            request("/api/projects", token)
                .header("X-User-Id", "admin")
                .header("X-User-Roles", "ADMIN")
                .header("X-Forwarded-For", "6.6.6.6")
                .header("X-Forwarded-Host", "evil.example")
                .header("Forwarded", "for=6.6.6.6")
                .header("X-Request-Id", "trace-123")
                .GET()
                .build());
    JsonNode headers = response.json().get("headers");
    assertThat(headers.has("x-user-id")).isFalse();
    assertThat(headers.has("x-user-roles")).isFalse();
    assertThat(headers.has("x-forwarded-for")).isFalse();
    assertThat(headers.has("x-forwarded-host")).isFalse();
    assertThat(headers.has("forwarded")).isFalse();
    assertThat(headers.get("authorization").asString()).isEqualTo("Bearer " + token);
    assertThat(headers.get("x-request-id").asString()).isEqualTo("trace-123");
    assertThat(response.header("X-Request-Id")).isEqualTo("trace-123");
  }

  @Test
  void makesARequestIdWhenTheClientSentNoneOrAnUnsafeOne() {
    Response none = get("/api/health", null);
    assertThat(none.header("X-Request-Id")).matches("[0-9a-f-]{36}");
    Response unsafe =
        send(
            request("/api/health", null)
                .header("X-Request-Id", "bad id\twith spaces")
                .GET()
                .build());
    assertThat(unsafe.header("X-Request-Id")).matches("[0-9a-f-]{36}");
  }

  @Test
  void neverRoutesInternalPathsOrForeignActuators() {
    String token = anyUser().accessToken();
    int before = PROJECT.requests.get() + WORKSPACE.requests.get() + CLAUDE.requests.get();
    assertProblem(get("/internal/projects/p1", token), 404);
    assertProblem(get("/api/internal/projects", token), 404);
    // Paths the services could read another way are refused outright (libs/common RequestPaths).
    assertProblem(get("/api/projects/p1/files/../../../internal/x", token), 400);
    assertProblem(get("/api/projects/p1/files/%2e%2e/%2e%2e/actuator/env", token), 400);
    assertProblem(get("/%69nternal/projects/p1", token), 400);
    assertProblem(get("/api/projects/p1/actuator/health", token), 404);
    assertProblem(get("/api/nothing-here", token), 404);
    assertThat(PROJECT.requests.get() + WORKSPACE.requests.get() + CLAUDE.requests.get())
        .isEqualTo(before);
  }

  @Test
  void serverSentEventsArriveOneByOneBeforeTheStreamEnds() throws Exception {
    String token = anyUser().accessToken();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      sendStreamRequest(socket, "c1", token);
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      List<Long> deltaTimes = new ArrayList<>();
      long start = System.nanoTime();
      boolean done = false;
      boolean sawEventStream = false;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.toLowerCase().startsWith("content-type: text/event-stream")) sawEventStream = true;
        if (line.toLowerCase().startsWith("content-encoding"))
          throw new AssertionError("compressed: " + line);
        if (line.startsWith("data: {\"text\"")) deltaTimes.add(System.nanoTime() - start);
        if (line.startsWith("data: {\"messageId\"")) {
          done = true;
          break;
        }
      }
      long end = System.nanoTime() - start;
      assertThat(sawEventStream).isTrue();
      assertThat(done).isTrue();
      assertThat(deltaTimes).hasSize(5);
      // The fake writes one delta every 300 ms: buffered, all would arrive together at the end.
      assertThat(end - deltaTimes.get(0)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(900));
      assertThat(deltaTimes.get(2) - deltaTimes.get(0))
          .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(400));
    }
  }

  @Test
  void clientDisconnectCancelsTheDownstreamStream() throws Exception {
    String token = anyUser().accessToken();
    CountDownLatch cancelled = new CountDownLatch(1);
    CLAUDE.streamCancelled = cancelled;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      sendStreamRequest(socket, "endless", token);
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null && !line.startsWith("data: ")) {
        // headers and the first event's name
      }
      assertThat(line).startsWith("data: ");
    }
    assertThat(cancelled.await(5, TimeUnit.SECONDS)).as("downstream stream cancelled").isTrue();
  }

  private void sendStreamRequest(Socket socket, String cid, String token) throws Exception {
    String body = "{\"content\":\"hi\"}";
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /api/conversations/"
                + cid
                + "/messages HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer "
                + token
                + "\r\nAccept: text/event-stream\r\nAccept-Encoding: gzip\r\n"
                + "Content-Type: application/json\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body)
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** A ticket as workspace-service issues it, through the one contract both sides share. */
  private String issueTicket(String projectId) {
    var tickets =
        new TerminalTickets(
            new StringRedisTemplate(redisConnections),
            JsonMapper.builder().build(),
            java.time.Clock.systemUTC(),
            Duration.ofSeconds(30));
    return tickets
        .issue(new AuthenticatedUser("u1", "u1@example.test", java.util.Set.of("USER")), projectId)
        .ticket();
  }

  private int handshakeStatus(String path, String origin) throws Exception {
    var builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(3));
    if (origin != null) builder.header("Origin", origin);
    try {
      builder
          .buildAsync(
              java.net.URI.create("ws://127.0.0.1:" + port + path), new WebSocket.Listener() {})
          .get(5, TimeUnit.SECONDS)
          .sendClose(WebSocket.NORMAL_CLOSURE, "bye");
      return 101;
    } catch (java.util.concurrent.ExecutionException e) {
      return ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }

  @Test
  void refusesTerminalHandshakeWithUnknownTicketOrForeignOriginBeforeUpgrading() throws Exception {
    String self = "http://127.0.0.1:" + port;
    assertThat(handshakeStatus("/api/projects/p1/terminal?ticket=forged", self)).isEqualTo(401);
    String other = issueTicket("p2");
    assertThat(handshakeStatus("/api/projects/p1/terminal?ticket=" + other, self)).isEqualTo(401);
    String foreign = issueTicket("p1");
    assertThat(
            handshakeStatus("/api/projects/p1/terminal?ticket=" + foreign, "https://evil.example"))
        .isEqualTo(403);
    assertThat(handshakeStatus("/api/projects/p1/terminal?ticket=" + foreign, null))
        .as("no Origin")
        .isEqualTo(403);
    String same = issueTicket("p1");
    assertThat(handshakeStatus("/api/projects/p1/terminal?ticket=" + same, self)).isEqualTo(101);
  }

  @Test
  void proxiesTerminalWebSocketBothWays() throws Exception {
    String ticket = issueTicket("p1");
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket socket =
        http.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .header("Origin", "http://127.0.0.1:" + port)
            .buildAsync(
                java.net.URI.create(
                    "ws://127.0.0.1:" + port + "/api/projects/p1/terminal?ticket=" + ticket),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    received.add(data.toString());
                    ws.request(1);
                    return null;
                  }
                })
            .get(5, TimeUnit.SECONDS);
    try {
      assertThat(received.poll(5, TimeUnit.SECONDS))
          .isEqualTo("welcome /api/projects/p1/terminal?ticket=" + ticket);
      socket.sendText("ls -la\n", true).get(5, TimeUnit.SECONDS);
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:ls -la\n");
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
  }

  @Test
  void terminalWithoutTicketNeedsAToken() {
    assertProblem(get("/api/projects/p1/terminal", null), 401);
  }

  @Test
  void downServiceAnswers503QuicklyAndRecovers() throws Exception {
    String token = anyUser().accessToken();
    WORKSPACE.stop();
    try {
      for (int i = 0; i < 12; i++) {
        long start = System.nanoTime();
        Response response = get("/api/projects/p1/workspace", token);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertProblem(response, 503);
        assertThat(response.json().get("detail").asString()).contains("workspace service");
      }
    } finally {
      WORKSPACE.restart();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int status = 0;
    while (System.nanoTime() < deadline && status != 200) {
      status = get("/api/projects/p1/workspace", token).status();
      if (status != 200) Thread.sleep(200);
    }
    assertThat(status).isEqualTo(200);
  }

  @Test
  void oversizedBodyIs413() {
    String token = anyUser().accessToken();
    byte[] twoMegabytes = new byte[2 * 1024 * 1024];
    Response declared =
        send(
            request("/api/projects", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(twoMegabytes))
                .build());
    assertProblem(declared, 413);

    Response chunked =
        send(
            request("/api/projects", token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(twoMegabytes)))
                .build());
    assertProblem(chunked, 413);

    Response fileUpload =
        send(
            request("/api/projects/p1/files/content?path=big.bin", token)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(twoMegabytes))
                .build());
    assertThat(fileUpload.status()).isEqualTo(200);
    assertThat(fileUpload.json().get("bodyLength").asInt()).isEqualTo(twoMegabytes.length);
  }

  @Test
  void malformedJsonIs400WithRequestIdAndNoTrace() {
    Response response = postJson("/api/auth/login", "{\"email\": \"a@b.c\", \"password\": ", null);
    assertProblem(response, 400);
    assertThat(response.json().get("requestId").asString())
        .isEqualTo(response.header("X-Request-Id"));
  }

  @Test
  void everyResponseCarriesSecurityHeaders() {
    for (Response response :
        List.of(
            get("/api/health", null),
            get("/api/projects", anyUser().accessToken()),
            get("/api/nothing", null),
            get("/", null))) {
      String csp = response.header("Content-Security-Policy");
      assertThat(csp)
          .contains(
              "default-src 'self'",
              "worker-src 'self' blob:",
              "frame-ancestors 'none'",
              "connect-src 'self' ws: wss:");
      assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(response.header("Referrer-Policy")).isNotBlank();
      assertThat(response.header("Strict-Transport-Security"))
          .as("no HSTS over plain HTTP")
          .isNull();
    }
  }

  @Test
  void corsOnlyForConfiguredOrigins() {
    Response allowed =
        send(
            request("/api/auth/login", null)
                .header("Origin", ALLOWED_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
    Response other =
        send(
            request("/api/auth/login", null)
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    assertThat(other.status()).isEqualTo(403);
  }

  @Test
  void servesTheUiWithSpaFallbackAndLongCacheForAssets() {
    Response index = get("/", null);
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.body()).contains("<title>Constellation</title>");
    Response deepLink = get("/projects/p1/files", null);
    assertThat(deepLink.body()).contains("<title>Constellation</title>");
    Response asset = get("/assets/app-1234.js", null);
    assertThat(asset.body()).contains("console.log");
    assertThat(asset.header("Cache-Control")).contains("max-age=31536000");
    assertProblem(get("/assets/missing.js", null), 404);
    // Anonymous callers learn nothing about which API paths exist.
    assertProblem(get("/api/unknown", null), 401);
  }

  @Test
  void metricsNameTheRouteOfProxiedRequests() {
    get("/api/projects", anyUser().accessToken());
    Response metrics = get("/actuator/prometheus", null);
    assertThat(metrics.body()).contains("route=\"project-service\"");
    assertThat(metrics.body())
        .containsPattern(
            "http_server_requests_seconds_count\\{[^}]*route=\"project-service\"[^}]*uri=\"/api/projects\"");
  }
}
