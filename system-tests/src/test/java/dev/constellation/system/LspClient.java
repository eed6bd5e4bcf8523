package dev.constellation.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The IDE's side of a language-server socket, in plain JSON: each text frame one JSON-RPC message
 * (as vscode-ws-jsonrpc sends them). Requests the server makes of the client (configuration,
 * registerCapability, workDoneProgress/create) are answered with null, as a client would.
 */
public final class LspClient implements WebSocket.Listener, AutoCloseable {
  public static final String ROOT = "file:///workspace";

  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private final AtomicInteger ids = new AtomicInteger();

  /** The close code; -1 when broken without a close frame, -2 when the handshake was refused. */
  public final CompletableFuture<Integer> closed = new CompletableFuture<>();

  public volatile String closeReason;
  private WebSocket socket;

  private LspClient() {}

  /** Asks for a ticket with {@code accessToken}; fails unless it is issued. */
  public static String ticket(Api api, String accessToken, String projectId, String language)
      throws Exception {
    var response =
        api.send(
            "POST",
            "/api/projects/" + projectId + "/lsp/" + language + "/ticket",
            accessToken,
            null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Api.json(response).path("ticket").asString();
  }

  /**
   * Starts the handshake; a refused one completes {@link #closed} with -2 (see {@link #handshake}).
   */
  public static CompletableFuture<WebSocket> handshake(
      String baseUrl,
      String projectId,
      String language,
      String ticket,
      String origin,
      LspClient client) {
    URI uri =
        URI.create(
            baseUrl.replaceFirst("^http", "ws")
                + "/api/projects/"
                + projectId
                + "/lsp/"
                + language
                + "?ticket="
                + URLEncoder.encode(ticket, StandardCharsets.UTF_8));
    var builder = Api.HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
    if (origin != null) builder.header("Origin", origin);
    CompletableFuture<WebSocket> future = builder.buildAsync(uri, client);
    future.whenComplete(
        (ws, error) -> {
          if (error != null) client.closed.complete(-2);
        });
    return future;
  }

  public static LspClient create() {
    return new LspClient();
  }

  /** Opens the server of {@code language} in the project through the gateway. */
  public static LspClient open(Api api, String accessToken, String projectId, String language)
      throws Exception {
    return openAt(SystemStack.gatewayUrl(), api, accessToken, projectId, language);
  }

  /**
   * Opens the server's socket at {@code baseUrl} (the gateway, or workspace-service directly) with
   * a ticket from {@code api}.
   */
  public static LspClient openAt(
      String baseUrl, Api api, String accessToken, String projectId, String language)
      throws Exception {
    LspClient client = new LspClient();
    client.socket =
        handshake(
                baseUrl,
                projectId,
                language,
                ticket(api, accessToken, projectId, language),
                baseUrl,
                client)
            .get(60, TimeUnit.SECONDS);
    return client;
  }

  /** initialize + initialized, with the capabilities a Monaco client announces. */
  public JsonNode initialize(Duration timeout) throws Exception {
    ObjectNode params = Api.JSON.createObjectNode();
    params.putNull("processId");
    params.put("rootUri", ROOT);
    params.putArray("workspaceFolders").addObject().put("uri", ROOT).put("name", "workspace");
    ObjectNode capabilities = params.putObject("capabilities");
    ObjectNode text = capabilities.putObject("textDocument");
    text.putObject("completion").putObject("completionItem").put("snippetSupport", true);
    text.putObject("publishDiagnostics").put("relatedInformation", true);
    text.putObject("definition").put("linkSupport", false);
    text.putObject("hover").putArray("contentFormat").add("markdown").add("plaintext");
    text.putObject("synchronization").put("didSave", true);
    capabilities.putObject("workspace").put("configuration", true).put("workspaceFolders", true);
    JsonNode result = request("initialize", params, timeout);
    notify("initialized", Api.JSON.createObjectNode());
    return result;
  }

  public void didOpen(String path, String languageId, String text) {
    ObjectNode params = Api.JSON.createObjectNode();
    params
        .putObject("textDocument")
        .put("uri", uri(path))
        .put("languageId", languageId)
        .put("version", 1)
        .put("text", text);
    notify("textDocument/didOpen", params);
  }

  public void didChange(String path, int version, String text) {
    ObjectNode params = Api.JSON.createObjectNode();
    params.putObject("textDocument").put("uri", uri(path)).put("version", version);
    params.putArray("contentChanges").addObject().put("text", text);
    notify("textDocument/didChange", params);
  }

  public void didClose(String path) {
    ObjectNode params = Api.JSON.createObjectNode();
    params.putObject("textDocument").put("uri", uri(path));
    notify("textDocument/didClose", params);
  }

  /** textDocument/{method} at a position (completion, definition, hover...). */
  public JsonNode at(String method, String path, int line, int character, Duration timeout)
      throws Exception {
    ObjectNode params = Api.JSON.createObjectNode();
    params.putObject("textDocument").put("uri", uri(path));
    params.putObject("position").put("line", line).put("character", character);
    return request("textDocument/" + method, params, timeout);
  }

  public static String uri(String path) {
    return ROOT + "/" + path;
  }

  /** Sends a request and waits for its response's result (fails on an error response). */
  public JsonNode request(String method, JsonNode params, Duration timeout) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = Api.JSON.createObjectNode();
    message.put("jsonrpc", "2.0").put("id", id).put("method", method).set("params", params);
    send(message.toString());
    JsonNode response = await(m -> !m.has("method") && m.path("id").asInt(-1) == id, timeout);
    assertThat(response).as("response to %s within %s", method, timeout).isNotNull();
    assertThat(response.has("error")).as("%s answered %s", method, response).isFalse();
    return response.path("result");
  }

  public void notify(String method, JsonNode params) {
    ObjectNode message = Api.JSON.createObjectNode();
    message.put("jsonrpc", "2.0").put("method", method).set("params", params);
    send(message.toString());
  }

  public void send(String text) {
    socket.sendText(text, true).join();
  }

  /** The latest diagnostics published for {@code path} that satisfy {@code wanted}, or null. */
  public JsonNode awaitDiagnostics(String path, Predicate<JsonNode> wanted, Duration timeout)
      throws InterruptedException {
    JsonNode published =
        await(
            m ->
                "textDocument/publishDiagnostics".equals(m.path("method").asString())
                    && uri(path).equals(m.path("params").path("uri").asString())
                    && wanted.test(m.path("params").path("diagnostics")),
            timeout);
    return published == null ? null : published.path("params").path("diagnostics");
  }

  /** The first message received (or arriving within {@code timeout}) that matches, or null. */
  public synchronized JsonNode await(Predicate<JsonNode> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (JsonNode m : received) if (match.test(m)) return m;
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0 || closed.isDone()) return null;
      wait(Math.min(left, 200));
    }
  }

  public List<JsonNode> received() {
    return List.copyOf(received);
  }

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      JsonNode message = Api.JSON.readTree(partial.toString());
      partial.setLength(0);
      received.add(message);
      // A request from the server: answer it as a plain client would.
      if (message.has("method") && message.has("id")) {
        ObjectNode reply = Api.JSON.createObjectNode();
        reply.put("jsonrpc", "2.0").set("id", message.get("id"));
        if ("workspace/configuration".equals(message.path("method").asString())) {
          var items = reply.putArray("result");
          for (int i = 0; i < message.path("params").path("items").size(); i++) items.addNull();
        } else {
          reply.putNull("result");
        }
        ws.sendText(reply.toString(), true);
      }
      synchronized (this) {
        notifyAll();
      }
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeReason = reason;
    closed.complete(statusCode);
    synchronized (this) {
      notifyAll();
    }
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.complete(-1);
  }

  @Override
  public void close() {
    if (socket != null && !socket.isOutputClosed()) {
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // already broken
      }
    }
    if (socket != null) socket.abort();
  }

  /** The labels of a completion result (a list or a CompletionList). */
  public static List<String> labels(JsonNode completion) {
    JsonNode items = completion.isArray() ? completion : completion.path("items");
    List<String> labels = new java.util.ArrayList<>();
    items.forEach(i -> labels.add(i.path("label").asString()));
    return labels;
  }
}
