package dev.constellation.claude.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for Anthropic's Messages API over real HTTP: {@code POST /v1/messages}, plain or
 * streamed with the exact event sequence (message_start, content_block_start, ping,
 * content_block_delta with text_delta or input_json_delta, content_block_stop, message_delta with
 * usage, message_stop, and error). Replies are scripted per request; every request body is kept.
 */
public final class FakeAnthropic implements AutoCloseable {
  public static final String API_KEY = "sk-ant-test-0123456789-secret";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One received request. */
  public record Received(JsonNode body, Map<String, String> headers) {
    public boolean streamed() {
      return body.path("stream").asBoolean(false);
    }
  }

  /** What to answer one request with. */
  public sealed interface Reply permits Text, Gated, Status, MidStreamError, ToolUse {}

  /** Text in chunks, {@code delay} between chunks when streamed. */
  public record Text(
      List<String> chunks,
      Duration delay,
      long inputTokens,
      long cacheReadTokens,
      long cacheCreationTokens)
      implements Reply {}

  /**
   * Streams {@code chunks} one at a time: the first at once, each later one only after the test
   * calls {@link #release()}, so a test can see each delta arrive before the next exists.
   */
  public static final class Gated implements Reply {
    private final List<String> chunks;
    private final java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(0);
    private final AtomicInteger sent = new AtomicInteger();

    public Gated(String... chunks) {
      this.chunks = List.of(chunks);
    }

    public void release() {
      permits.release();
    }

    /** Chunks written to the connection so far. */
    public int sent() {
      return sent.get();
    }
  }

  /** An HTTP error answer, e.g. 429 rate_limit_error or 529 overloaded_error. */
  public record Status(int status, String errorType) implements Reply {}

  /** Streams {@code chunks}, then an {@code error} event instead of the end. */
  public record MidStreamError(List<String> chunks, String errorType) implements Reply {}

  /** A tool_use block carrying {@code input}. */
  public record ToolUse(String name, Object input) implements Reply {}

  public static Text text(String... chunks) {
    return new Text(List.of(chunks), Duration.ZERO, 120, 0, 0);
  }

  public static Text slowText(Duration delay, String... chunks) {
    return new Text(List.of(chunks), delay, 120, 0, 0);
  }

  private final HttpServer server;
  private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger disconnects = new AtomicInteger();
  private final AtomicInteger messageIds = new AtomicInteger();
  private final List<Long> deltaWrites = new CopyOnWriteArrayList<>();
  private volatile Reply defaultReply = text("Hello", " from", " the fake.");

  public FakeAnthropic() {
    this(0);
  }

  public FakeAnthropic(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-anthropic");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/v1/messages", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues replies for the next requests, in order; without one a short default text is sent. */
  public void enqueue(Reply... replies) {
    script.addAll(List.of(replies));
  }

  /** The reply for requests with nothing queued. */
  public void defaultReply(Reply reply) {
    this.defaultReply = reply;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** How many streamed answers ended because the client (claude-service) closed the connection. */
  public int disconnects() {
    return disconnects.get();
  }

  /** System.nanoTime() at which each streamed text delta was written, since the last reset. */
  public List<Long> deltaWrites() {
    return List.copyOf(deltaWrites);
  }

  public void reset() {
    deltaWrites.clear();
    script.clear();
    received.clear();
    disconnects.set(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new LinkedHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
      if (!"POST".equals(exchange.getRequestMethod())) {
        error(exchange, 405, "invalid_request_error", "Method not allowed");
        return;
      }
      // The real API takes x-api-key; the Java SDK sends Authorization: Bearer. Accept both,
      // nothing else.
      boolean authorized =
          API_KEY.equals(headers.get("x-api-key"))
              || ("Bearer " + API_KEY).equals(headers.get("authorization"));
      if (!authorized) {
        error(exchange, 401, "authentication_error", "invalid x-api-key");
        return;
      }
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      received.add(new Received(body, headers));
      Reply reply = script.poll();
      if (reply == null) reply = defaultReply;
      boolean stream = body.path("stream").asBoolean(false);
      String model = body.path("model").asString("");
      if (reply instanceof Status st) {
        if (st.status() == 429) exchange.getResponseHeaders().add("retry-after", "0");
        error(exchange, st.status(), st.errorType(), "scripted " + st.errorType());
      } else if (reply instanceof Text t && stream) {
        streamText(exchange, model, t);
      } else if (reply instanceof Text t) {
        json(
            exchange,
            200,
            message(
                model,
                List.of(Map.of("type", "text", "text", String.join("", t.chunks()))),
                "end_turn",
                t.inputTokens(),
                t.chunks().size(),
                t.cacheReadTokens(),
                t.cacheCreationTokens()));
      } else if (reply instanceof Gated g) {
        streamGated(exchange, model, g);
      } else if (reply instanceof MidStreamError m) {
        streamError(exchange, model, m);
      } else if (reply instanceof ToolUse u && stream) {
        streamToolUse(exchange, model, u);
      } else if (reply instanceof ToolUse u) {
        json(
            exchange,
            200,
            message(
                model,
                List.of(
                    Map.of(
                        "type",
                        "tool_use",
                        "id",
                        "toolu_fake" + messageIds.incrementAndGet(),
                        "name",
                        u.name(),
                        "input",
                        u.input())),
                "tool_use",
                300,
                80,
                0,
                0));
      }
    } catch (IOException e) {
      disconnects.incrementAndGet();
    }
  }

  private Map<String, Object> message(
      String model,
      List<Object> content,
      String stopReason,
      long in,
      long out,
      long cacheRead,
      long cacheCreation) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "msg_fake" + messageIds.incrementAndGet());
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("content", content);
    m.put("model", model);
    m.put("stop_reason", stopReason);
    m.put("stop_sequence", null);
    m.put("usage", usage(in, out, cacheRead, cacheCreation));
    return m;
  }

  private static Map<String, Object> usage(long in, long out, long cacheRead, long cacheCreation) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("input_tokens", in);
    u.put("cache_creation_input_tokens", cacheCreation);
    u.put("cache_read_input_tokens", cacheRead);
    u.put("output_tokens", out);
    return u;
  }

  private void startStream(
      HttpExchange exchange, String model, long in, long cacheRead, long cacheCreation)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().add("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    Map<String, Object> start = new LinkedHashMap<>();
    start.put("type", "message_start");
    start.put("message", message(model, List.of(), null, in, 1, cacheRead, cacheCreation));
    event(exchange, "message_start", start);
  }

  private void streamText(HttpExchange exchange, String model, Text t) throws IOException {
    startStream(exchange, model, t.inputTokens(), t.cacheReadTokens(), t.cacheCreationTokens());
    event(
        exchange,
        "content_block_start",
        Map.of(
            "type",
            "content_block_start",
            "index",
            0,
            "content_block",
            Map.of("type", "text", "text", "")));
    event(exchange, "ping", Map.of("type", "ping"));
    for (String chunk : t.chunks()) {
      pause(t.delay());
      event(
          exchange,
          "content_block_delta",
          Map.of(
              "type",
              "content_block_delta",
              "index",
              0,
              "delta",
              Map.of("type", "text_delta", "text", chunk)));
      deltaWrites.add(System.nanoTime());
    }
    event(exchange, "content_block_stop", Map.of("type", "content_block_stop", "index", 0));
    Map<String, Object> delta = new LinkedHashMap<>();
    delta.put("stop_reason", "end_turn");
    delta.put("stop_sequence", null);
    event(
        exchange,
        "message_delta",
        Map.of(
            "type",
            "message_delta",
            "delta",
            delta,
            "usage",
            Map.of("output_tokens", t.chunks().size())));
    event(exchange, "message_stop", Map.of("type", "message_stop"));
  }

  private void streamGated(HttpExchange exchange, String model, Gated g) throws IOException {
    startStream(exchange, model, 120, 0, 0);
    event(
        exchange,
        "content_block_start",
        Map.of(
            "type",
            "content_block_start",
            "index",
            0,
            "content_block",
            Map.of("type", "text", "text", "")));
    for (int i = 0; i < g.chunks.size(); i++) {
      if (i > 0) {
        try {
          if (!g.permits.tryAcquire(20, java.util.concurrent.TimeUnit.SECONDS))
            throw new IOException("test never released chunk " + i);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      g.sent.incrementAndGet();
      event(
          exchange,
          "content_block_delta",
          Map.of(
              "type",
              "content_block_delta",
              "index",
              0,
              "delta",
              Map.of("type", "text_delta", "text", g.chunks.get(i))));
    }
    event(exchange, "content_block_stop", Map.of("type", "content_block_stop", "index", 0));
    Map<String, Object> delta = new LinkedHashMap<>();
    delta.put("stop_reason", "end_turn");
    delta.put("stop_sequence", null);
    event(
        exchange,
        "message_delta",
        Map.of(
            "type",
            "message_delta",
            "delta",
            delta,
            "usage",
            Map.of("output_tokens", g.chunks.size())));
    event(exchange, "message_stop", Map.of("type", "message_stop"));
  }

  private void streamError(HttpExchange exchange, String model, MidStreamError m)
      throws IOException {
    startStream(exchange, model, 120, 0, 0);
    event(
        exchange,
        "content_block_start",
        Map.of(
            "type",
            "content_block_start",
            "index",
            0,
            "content_block",
            Map.of("type", "text", "text", "")));
    for (String chunk : m.chunks()) {
      event(
          exchange,
          "content_block_delta",
          Map.of(
              "type",
              "content_block_delta",
              "index",
              0,
              "delta",
              Map.of("type", "text_delta", "text", chunk)));
    }
    event(
        exchange,
        "error",
        Map.of(
            "type",
            "error",
            "error",
            Map.of("type", m.errorType(), "message", "scripted mid-stream failure")));
  }

  private void streamToolUse(HttpExchange exchange, String model, ToolUse u) throws IOException {
    startStream(exchange, model, 300, 0, 0);
    event(
        exchange,
        "content_block_start",
        Map.of(
            "type",
            "content_block_start",
            "index",
            0,
            "content_block",
            Map.of("type", "tool_use", "id", "toolu_fake", "name", u.name(), "input", Map.of())));
    String input = JSON.writeValueAsString(u.input());
    for (int i = 0; i < input.length(); i += 20) {
      event(
          exchange,
          "content_block_delta",
          Map.of(
              "type",
              "content_block_delta",
              "index",
              0,
              "delta",
              Map.of(
                  "type",
                  "input_json_delta",
                  "partial_json",
                  input.substring(i, Math.min(input.length(), i + 20)))));
    }
    event(exchange, "content_block_stop", Map.of("type", "content_block_stop", "index", 0));
    Map<String, Object> delta = new LinkedHashMap<>();
    delta.put("stop_reason", "tool_use");
    delta.put("stop_sequence", null);
    event(
        exchange,
        "message_delta",
        Map.of("type", "message_delta", "delta", delta, "usage", Map.of("output_tokens", 80)));
    event(exchange, "message_stop", Map.of("type", "message_stop"));
  }

  private static void event(HttpExchange exchange, String name, Object data) throws IOException {
    OutputStream out = exchange.getResponseBody();
    out.write(
        ("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    json(
        exchange,
        status,
        Map.of("type", "error", "error", Map.of("type", type, "message", message)));
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("request-id", "req_fake");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void pause(Duration delay) {
    if (delay.isZero()) return;
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /**
   * Runs the fake on its own, for the benchmark: {@code FakeAnthropic PORT CHUNKS DELAY_MS} answers
   * every request with CHUNKS text deltas DELAY_MS apart.
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    int chunks = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    long delay = args.length > 2 ? Long.parseLong(args[2]) : 20;
    var fake = new FakeAnthropic(port);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < chunks; i++) parts.add("token" + i + " ");
    fake.defaultReply(new Text(parts, Duration.ofMillis(delay), 120, 0, 0));
    System.out.println(fake.baseUrl());
    Thread.currentThread().join();
  }
}
