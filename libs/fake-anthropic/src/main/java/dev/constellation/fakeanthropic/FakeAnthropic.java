package dev.constellation.fakeanthropic;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for Anthropic's Messages API over real HTTP: {@code POST /v1/messages}, plain or
 * streamed with the exact event sequence (message_start, content_block_start, ping,
 * content_block_delta with text_delta or input_json_delta, content_block_stop, message_delta with
 * usage, message_stop, and error).
 *
 * <p>Replies are scripted turn by turn. {@link #script(String, Reply...)} queues replies for the
 * requests whose first user message contains {@code FAKE-SCRIPT:<tag>}, one queue per tag, so tests
 * running in parallel against one fake never take each other's replies. Untagged requests take
 * {@link #enqueue(Reply...)}'s queue. A request with nothing scripted is proxied to {@link
 * #forwardUnscriptedTo(String)} when set (headers and body, the answer streamed back as it comes),
 * else answered with {@link #defaultReply(Reply)}. Every request body is kept ({@link #received()})
 * so a test can read the tool_result blocks that came back.
 */
public final class FakeAnthropic implements AutoCloseable {
  public static final String API_KEY = "sk-ant-test-0123456789-secret";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern TAG = Pattern.compile("FAKE-SCRIPT:([A-Za-z0-9_.\\-]+)");
  // HttpClient refuses to set these itself; the rest of the caller's headers are passed on.
  private static final Set<String> HOP_HEADERS =
      Set.of(
          "host",
          "content-length",
          "connection",
          "transfer-encoding",
          "expect",
          "upgrade",
          "keep-alive",
          "te",
          "trailer",
          "proxy-connection",
          "http2-settings");

  /** One received request; {@code tag} is its FAKE-SCRIPT tag or null. */
  public record Received(JsonNode body, Map<String, String> headers, String tag) {
    public boolean streamed() {
      return body.path("stream").asBoolean(false);
    }

    /** The tool_result blocks of the last user message, in order. */
    public List<JsonNode> toolResults() {
      List<JsonNode> out = new ArrayList<>();
      JsonNode messages = body.path("messages");
      if (messages.isEmpty()) return out;
      JsonNode last = messages.get(messages.size() - 1);
      for (JsonNode block : last.path("content")) {
        if ("tool_result".equals(block.path("type").asString(""))) out.add(block);
      }
      return out;
    }
  }

  /** What to answer one request with. */
  public sealed interface Reply permits Text, Gated, Status, MidStreamError, ToolUse, Turn {}

  /** One content block of a {@link Turn}. */
  public sealed interface Block permits Say, ToolUse {}

  /** Text in chunks, {@code delay} between chunks when streamed. */
  public record Text(
      List<String> chunks,
      Duration delay,
      long inputTokens,
      long cacheReadTokens,
      long cacheCreationTokens)
      implements Reply {}

  /** A text block of a {@link Turn}, streamed as one text_delta per chunk. */
  public record Say(List<String> chunks) implements Block {}

  /**
   * A tool_use block: alone it is a whole reply (stop_reason tool_use); in a {@link Turn} it
   * follows the text. {@code id} null means one is made up ({@code toolu_fake<n>}).
   */
  public record ToolUse(String id, String name, Object input) implements Reply, Block {
    public ToolUse(String name, Object input) {
      this(null, name, input);
    }
  }

  /**
   * A whole assistant reply made of blocks (text, then tool_use blocks, as the real model answers);
   * stop_reason is {@code tool_use} when it holds a tool_use block, else {@code end_turn}. {@code
   * delay} is waited before each streamed delta.
   */
  public record Turn(
      List<Block> blocks,
      Duration delay,
      long inputTokens,
      long outputTokens,
      long cacheReadTokens,
      long cacheCreationTokens)
      implements Reply {
    public Turn withUsage(long input, long output) {
      return new Turn(blocks, delay, input, output, cacheReadTokens, cacheCreationTokens);
    }

    public Turn withDelay(Duration each) {
      return new Turn(
          blocks, each, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens);
    }
  }

  /**
   * Streams {@code chunks} one at a time: the first at once, each later one only after the test
   * calls {@link #release()}, so a test can see each delta arrive before the next exists (or close
   * the connection in between).
   */
  public static final class Gated implements Reply {
    private final List<String> chunks;
    private final Semaphore permits = new Semaphore(0);
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

  public static Text text(String... chunks) {
    return new Text(List.of(chunks), Duration.ZERO, 120, 0, 0);
  }

  public static Text slowText(Duration delay, String... chunks) {
    return new Text(List.of(chunks), delay, 120, 0, 0);
  }

  public static Say say(String... chunks) {
    return new Say(List.of(chunks));
  }

  public static ToolUse toolUse(String name, Object input) {
    return new ToolUse(name, input);
  }

  /** A reply of several blocks, 300 input and 80 output tokens. */
  public static Turn turn(Block... blocks) {
    return new Turn(List.of(blocks), Duration.ZERO, 300, 80, 0, 0);
  }

  private final HttpServer server;
  private final String apiKey;
  private final HttpClient forwarder =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
  private final Map<String, ConcurrentLinkedDeque<Reply>> scripts = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger disconnects = new AtomicInteger();
  private final AtomicInteger messageIds = new AtomicInteger();
  private final AtomicInteger toolIds = new AtomicInteger();
  private final List<Long> deltaWrites = new CopyOnWriteArrayList<>();
  private volatile Reply defaultReply = text("Hello", " from", " the fake.");
  private volatile String forwardTo;

  public FakeAnthropic() {
    this(0);
  }

  public FakeAnthropic(int port) {
    this(port, API_KEY);
  }

  /**
   * @param apiKey the one key accepted (as {@code x-api-key} or {@code Authorization: Bearer});
   *     null accepts any non-empty key, e.g. when fronting another fake that checks it.
   */
  public FakeAnthropic(int port, String apiKey) {
    this.apiKey = apiKey;
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
    server.createContext("/", this::other);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Queues replies for the next untagged requests, in order. */
  public void enqueue(Reply... replies) {
    script.addAll(List.of(replies));
  }

  /**
   * Queues replies, in order, for the requests whose first user message contains {@code
   * FAKE-SCRIPT:<tag>} (tags: letters, digits, {@code _ . -}).
   */
  public void script(String tag, Reply... replies) {
    if (!TAG.matcher("FAKE-SCRIPT:" + tag).matches())
      throw new IllegalArgumentException("a tag is letters, digits, _ . -: " + tag);
    scripts.computeIfAbsent(tag, t -> new ConcurrentLinkedDeque<>()).addAll(List.of(replies));
  }

  /** Replies still queued for {@code tag}. */
  public int pending(String tag) {
    var q = scripts.get(tag);
    return q == null ? 0 : q.size();
  }

  /** The reply for requests with nothing scripted (when not forwarding). */
  public void defaultReply(Reply reply) {
    this.defaultReply = reply;
  }

  /**
   * Proxies every request with nothing scripted to another Messages API at {@code baseUrl} (null
   * stops forwarding).
   */
  public void forwardUnscriptedTo(String baseUrl) {
    this.forwardTo = baseUrl == null ? null : baseUrl.replaceAll("/+$", "");
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The requests that carried {@code tag}, in order. */
  public List<Received> received(String tag) {
    return received.stream().filter(r -> tag.equals(r.tag())).toList();
  }

  /** How many streamed answers ended because the client closed the connection. */
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
    scripts.clear();
    received.clear();
    disconnects.set(0);
  }

  /** The tag of a request: searched in the first user message only, as the test wrote it. */
  static String tagOf(JsonNode body) {
    for (JsonNode message : body.path("messages")) {
      if (!"user".equals(message.path("role").asString(""))) continue;
      JsonNode content = message.path("content");
      StringBuilder text = new StringBuilder();
      if (content.isString()) text.append(content.asString());
      else
        for (JsonNode block : content) {
          if ("text".equals(block.path("type").asString("")))
            text.append(block.path("text").asString("")).append('\n');
        }
      Matcher m = TAG.matcher(text);
      return m.find() ? m.group(1) : null;
    }
    return null;
  }

  private void other(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = forwardTo;
      if (target != null) {
        forward(exchange, target, exchange.getRequestBody().readAllBytes());
      } else {
        error(exchange, 404, "not_found_error", "Not found");
      }
    } catch (IOException e) {
      disconnects.incrementAndGet();
    }
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
      if (!authorized(headers)) {
        error(exchange, 401, "authentication_error", "invalid x-api-key");
        return;
      }
      byte[] raw = exchange.getRequestBody().readAllBytes();
      JsonNode body = JSON.readTree(raw);
      String tag = tagOf(body);
      received.add(new Received(body, headers, tag));
      Reply reply;
      if (tag != null) {
        var q = scripts.get(tag);
        reply = q == null ? null : q.poll();
      } else {
        reply = script.poll();
      }
      if (reply == null) {
        String target = forwardTo;
        if (target != null) {
          forward(exchange, target, raw);
          return;
        }
        reply = defaultReply;
      }
      answer(exchange, body, reply);
    } catch (IOException e) {
      disconnects.incrementAndGet();
    }
  }

  private boolean authorized(Map<String, String> headers) {
    // The real API takes x-api-key; the Java SDK sends Authorization: Bearer. Accept both.
    String key = headers.get("x-api-key");
    String auth = headers.getOrDefault("authorization", "");
    if (key == null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) key = auth.substring(7);
    if (key == null || key.isBlank()) return false;
    return apiKey == null || apiKey.equals(key);
  }

  private void answer(HttpExchange exchange, JsonNode body, Reply reply) throws IOException {
    boolean stream = body.path("stream").asBoolean(false);
    String model = body.path("model").asString("");
    if (reply instanceof Status st) {
      if (st.status() == 429) exchange.getResponseHeaders().add("retry-after", "0");
      error(exchange, st.status(), st.errorType(), "scripted " + st.errorType());
    } else if (reply instanceof Text t && stream) {
      streamTurn(
          exchange,
          model,
          new Turn(
              List.of(new Say(t.chunks())),
              t.delay(),
              t.inputTokens(),
              t.chunks().size(),
              t.cacheReadTokens(),
              t.cacheCreationTokens()));
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
    } else if (reply instanceof ToolUse u) {
      answer(exchange, body, new Turn(List.of(u), Duration.ZERO, 300, 80, 0, 0));
    } else if (reply instanceof Turn t && stream) {
      streamTurn(exchange, model, t);
    } else if (reply instanceof Turn t) {
      List<Object> content = new ArrayList<>();
      for (Block b : t.blocks()) {
        if (b instanceof Say s)
          content.add(Map.of("type", "text", "text", String.join("", s.chunks())));
        else if (b instanceof ToolUse u) content.add(toolBlock(u, u.input()));
      }
      json(
          exchange,
          200,
          message(
              model,
              content,
              stopReason(t),
              t.inputTokens(),
              t.outputTokens(),
              t.cacheReadTokens(),
              t.cacheCreationTokens()));
    }
  }

  private static String stopReason(Turn t) {
    return t.blocks().stream().anyMatch(b -> b instanceof ToolUse) ? "tool_use" : "end_turn";
  }

  private Map<String, Object> toolBlock(ToolUse u, Object input) {
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("type", "tool_use");
    block.put("id", u.id() != null ? u.id() : "toolu_fake" + toolIds.incrementAndGet());
    block.put("name", u.name());
    block.put("input", input);
    return block;
  }

  private void forward(HttpExchange exchange, String target, byte[] body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (HOP_HEADERS.contains(name.toLowerCase())) return;
              for (String v : values) request.header(name, v);
            });
    HttpResponse<InputStream> response;
    try {
      response = forwarder.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } catch (IOException e) {
      error(exchange, 502, "api_error", "forwarding failed: " + e.getMessage());
      return;
    }
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (HOP_HEADERS.contains(name.toLowerCase()) || name.startsWith(":")) return;
              exchange.getResponseHeaders().put(name, values);
            });
    try (InputStream in = response.body()) {
      exchange.sendResponseHeaders(response.statusCode(), 0);
      OutputStream out = exchange.getResponseBody();
      byte[] buffer = new byte[8192];
      int n;
      // Flushed after every read so a streamed answer reaches the client as it comes.
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
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
    exchange.getResponseHeaders().add("request-id", "req_fake");
    exchange.sendResponseHeaders(200, 0);
    Map<String, Object> start = new LinkedHashMap<>();
    start.put("type", "message_start");
    start.put("message", message(model, List.of(), null, in, 1, cacheRead, cacheCreation));
    event(exchange, "message_start", start);
  }

  private static Map<String, Object> blockStart(int index, Object block) {
    return Map.of("type", "content_block_start", "index", index, "content_block", block);
  }

  private static Map<String, Object> blockDelta(int index, Object delta) {
    return Map.of("type", "content_block_delta", "index", index, "delta", delta);
  }

  private static Map<String, Object> blockStop(int index) {
    return Map.of("type", "content_block_stop", "index", index);
  }

  private void endStream(HttpExchange exchange, String stopReason, long outputTokens)
      throws IOException {
    Map<String, Object> delta = new LinkedHashMap<>();
    delta.put("stop_reason", stopReason);
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
            Map.of("output_tokens", outputTokens)));
    event(exchange, "message_stop", Map.of("type", "message_stop"));
  }

  private void streamTurn(HttpExchange exchange, String model, Turn t) throws IOException {
    startStream(exchange, model, t.inputTokens(), t.cacheReadTokens(), t.cacheCreationTokens());
    int index = 0;
    for (Block b : t.blocks()) {
      if (b instanceof Say s) {
        event(
            exchange, "content_block_start", blockStart(index, Map.of("type", "text", "text", "")));
        if (index == 0) event(exchange, "ping", Map.of("type", "ping"));
        for (String chunk : s.chunks()) {
          pause(t.delay());
          event(
              exchange,
              "content_block_delta",
              blockDelta(index, Map.of("type", "text_delta", "text", chunk)));
          deltaWrites.add(System.nanoTime());
        }
      } else if (b instanceof ToolUse u) {
        // As the real API: the block starts with an empty input, which then arrives as JSON text
        // cut at arbitrary points.
        event(exchange, "content_block_start", blockStart(index, toolBlock(u, Map.of())));
        if (index == 0) event(exchange, "ping", Map.of("type", "ping"));
        String input = JSON.writeValueAsString(u.input());
        event(
            exchange,
            "content_block_delta",
            blockDelta(index, Map.of("type", "input_json_delta", "partial_json", "")));
        for (int i = 0; i < input.length(); i += 17) {
          pause(t.delay());
          event(
              exchange,
              "content_block_delta",
              blockDelta(
                  index,
                  Map.of(
                      "type",
                      "input_json_delta",
                      "partial_json",
                      input.substring(i, Math.min(input.length(), i + 17)))));
        }
      }
      event(exchange, "content_block_stop", blockStop(index));
      index++;
    }
    endStream(exchange, stopReason(t), t.outputTokens());
  }

  private void streamGated(HttpExchange exchange, String model, Gated g) throws IOException {
    startStream(exchange, model, 120, 0, 0);
    event(exchange, "content_block_start", blockStart(0, Map.of("type", "text", "text", "")));
    for (int i = 0; i < g.chunks.size(); i++) {
      if (i > 0) {
        try {
          if (!g.permits.tryAcquire(20, TimeUnit.SECONDS))
            throw new IOException("test never released chunk " + i);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      g.sent.incrementAndGet();
      event(
          exchange,
          "content_block_delta",
          blockDelta(0, Map.of("type", "text_delta", "text", g.chunks.get(i))));
    }
    event(exchange, "content_block_stop", blockStop(0));
    endStream(exchange, "end_turn", g.chunks.size());
  }

  private void streamError(HttpExchange exchange, String model, MidStreamError m)
      throws IOException {
    startStream(exchange, model, 120, 0, 0);
    event(exchange, "content_block_start", blockStart(0, Map.of("type", "text", "text", "")));
    for (String chunk : m.chunks()) {
      event(
          exchange,
          "content_block_delta",
          blockDelta(0, Map.of("type", "text_delta", "text", chunk)));
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
   * Runs the fake on its own: {@code FakeAnthropic PORT CHUNKS DELAY_MS [FORWARD_URL]} answers
   * every unscripted request with CHUNKS text deltas DELAY_MS apart, or forwards it to FORWARD_URL.
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    int chunks = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    long delay = args.length > 2 ? Long.parseLong(args[2]) : 20;
    var fake = new FakeAnthropic(port, args.length > 3 ? null : API_KEY);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < chunks; i++) parts.add("token" + i + " ");
    fake.defaultReply(new Text(parts, Duration.ofMillis(delay), 120, 0, 0));
    if (args.length > 3) fake.forwardUnscriptedTo(args[3]);
    System.out.println(fake.baseUrl());
    Thread.currentThread().join();
  }
}
