package dev.constellation.workspace.lsp;

import dev.constellation.workspace.runtime.StdioProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One language server driven without an editor: initialize, open the files with their text, collect
 * the diagnostics it publishes until every file has some and the server has been quiet for a moment
 * (or the deadline passes), then shut it down. Requests the server makes of its client
 * (configuration, capability registration, progress) are answered with nothing, as a client without
 * those features does.
 */
final class HeadlessSession {
  /** Silence after the last diagnostics that counts as "done": servers publish in rounds. */
  static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

  /** A file to open: its path in the project, the LSP language id and its text. */
  record OpenFile(String path, String languageId, String text) {}

  /** How it went: the diagnostics by path (the last round each), and why it failed, if it did. */
  record Outcome(Map<String, JsonNode> diagnostics, @Nullable String failure) {}

  private final StdioProcess process;
  private final @Nullable WorkspaceUris uris;
  private final JsonMapper json;
  private final ServerFraming.Writer writer;
  private final CountDownLatch initialized = new CountDownLatch(1);
  private final CountDownLatch shutDown = new CountDownLatch(1);
  private final Map<String, JsonNode> diagnostics = new ConcurrentHashMap<>();
  private volatile long lastPublishedAt = System.nanoTime();

  HeadlessSession(StdioProcess process, @Nullable WorkspaceUris uris, JsonMapper json) {
    this.process = process;
    this.uris = uris;
    this.json = json;
    this.writer = new ServerFraming.Writer(process.stdin());
  }

  /** The URI a client names {@code path} by: file:///workspace/... on every runtime. */
  static String uriOf(String path) {
    try {
      return new URI("file", null, WorkspaceUris.ROOT + "/" + path, null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a path: " + path, e);
    }
  }

  /** The project path a published URI names, or null when it is not one of the project's. */
  static @Nullable String pathOf(String uri) {
    try {
      String path = new URI(uri).getPath();
      String prefix = WorkspaceUris.ROOT + "/";
      return path != null && path.startsWith(prefix) ? path.substring(prefix.length()) : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  Outcome run(List<OpenFile> files, long deadlineNanos, int maxMessageBytes) {
    Thread reader =
        new Thread(
            () -> new ServerFraming.Reader(process.stdout(), maxMessageBytes, this::received).run(),
            "lsp-headless");
    reader.setDaemon(true);
    reader.start();
    try {
      send(request(1, "initialize", initializeParams()));
      if (!initialized.await(left(deadlineNanos), TimeUnit.NANOSECONDS))
        return new Outcome(Map.of(), "the language server did not start in time");
      send(notification("initialized", json.createObjectNode()));
      Map<String, String> wanted = new LinkedHashMap<>();
      for (OpenFile file : files) {
        String uri = uriOf(file.path());
        wanted.put(file.path(), uri);
        ObjectNode document = json.createObjectNode();
        document.put("uri", uri).put("languageId", file.languageId()).put("version", 1);
        document.put("text", file.text());
        ObjectNode params = json.createObjectNode();
        params.set("textDocument", document);
        send(notification("textDocument/didOpen", params));
      }
      lastPublishedAt = System.nanoTime();
      while (System.nanoTime() < deadlineNanos) {
        boolean all = wanted.keySet().stream().allMatch(diagnostics::containsKey);
        if (all && System.nanoTime() - lastPublishedAt >= QUIET_NANOS) break;
        if (!reader.isAlive()) break;
        Thread.sleep(50);
      }
      Map<String, JsonNode> result = new LinkedHashMap<>();
      for (String path : wanted.keySet()) {
        JsonNode published = diagnostics.get(path);
        if (published != null) result.put(path, published);
      }
      if (!reader.isAlive() && result.isEmpty())
        return new Outcome(result, "the language server ended before it reported anything");
      return new Outcome(result, null);
    } catch (IOException e) {
      return new Outcome(Map.of(), "the language server stopped reading: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(Map.of(), "interrupted");
    } finally {
      shutdown();
    }
  }

  private void shutdown() {
    try {
      send(request(2, "shutdown", null));
      shutDown.await(1, TimeUnit.SECONDS);
      send(notification("exit", null));
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    } finally {
      process.close();
    }
  }

  private void received(String text) {
    JsonNode message;
    try {
      message = json.readTree(uris == null ? text : uris.toClient(text));
    } catch (RuntimeException notJson) {
      return;
    }
    JsonNode id = message.get("id");
    String method = message.path("method").asString(null);
    if (method == null && id != null) {
      if (id.asInt(-1) == 1) initialized.countDown();
      if (id.asInt(-1) == 2) shutDown.countDown();
      return;
    }
    if (method != null && id != null) {
      answer(id, method, message.get("params"));
      return;
    }
    if ("textDocument/publishDiagnostics".equals(method)) {
      JsonNode params = message.path("params");
      String path = pathOf(params.path("uri").asString(""));
      if (path == null) return;
      diagnostics.put(path, params.path("diagnostics"));
      lastPublishedAt = System.nanoTime();
    }
  }

  /** Answers a server's request as a client without the feature: nothing configured. */
  private void answer(JsonNode id, String method, @Nullable JsonNode params) {
    ObjectNode reply = json.createObjectNode();
    reply.put("jsonrpc", "2.0");
    reply.set("id", id);
    if (method.equals("workspace/configuration") && params != null) {
      ArrayNode empty = json.createArrayNode();
      for (int i = 0; i < params.path("items").size(); i++) empty.addNull();
      reply.set("result", empty);
    } else {
      reply.putNull("result");
    }
    try {
      send(reply);
    } catch (IOException ignored) {
      // the server is going away; its end shows in run
    }
  }

  private ObjectNode initializeParams() {
    ObjectNode params = json.createObjectNode();
    params.putNull("processId");
    String root = "file://" + WorkspaceUris.ROOT;
    params.put("rootUri", root);
    ObjectNode folder = json.createObjectNode().put("uri", root).put("name", "workspace");
    params.set("workspaceFolders", json.createArrayNode().add(folder));
    ObjectNode capabilities = json.createObjectNode();
    ObjectNode textDocument = json.createObjectNode();
    textDocument.set(
        "publishDiagnostics", json.createObjectNode().put("relatedInformation", false));
    capabilities.set("textDocument", textDocument);
    capabilities.set(
        "workspace",
        json.createObjectNode().put("configuration", true).put("workspaceFolders", true));
    params.set("capabilities", capabilities);
    // typescript-language-server: one semantic server answers sooner than a syntax server and a
    // semantic one started side by side; nothing may be fetched from a registry.
    ObjectNode options = json.createObjectNode().put("disableAutomaticTypingAcquisition", true);
    options.set("tsserver", json.createObjectNode().put("useSyntaxServer", "never"));
    params.set("initializationOptions", options);
    return params;
  }

  private ObjectNode request(int id, String method, @Nullable JsonNode params) {
    ObjectNode message = notification(method, params);
    message.put("id", id);
    return message;
  }

  private ObjectNode notification(String method, @Nullable JsonNode params) {
    ObjectNode message = json.createObjectNode();
    message.put("jsonrpc", "2.0");
    message.put("method", method);
    if (params != null) message.set("params", params);
    return message;
  }

  private void send(JsonNode message) throws IOException {
    String text = json.writeValueAsString(message);
    writer.send(uris == null ? text : uris.toServer(text));
  }

  private static long left(long deadlineNanos) {
    return Math.max(0, deadlineNanos - System.nanoTime());
  }

  /** Diagnostics as the API gives them, lines and columns from 1. */
  static List<ProblemsResponse.Problem> problems(String path, JsonNode published) {
    List<ProblemsResponse.Problem> problems = new ArrayList<>();
    for (JsonNode d : published) {
      JsonNode start = d.path("range").path("start");
      JsonNode end = d.path("range").path("end");
      String severity =
          switch (d.path("severity").asInt(1)) {
            case 2 -> "warning";
            case 3 -> "info";
            case 4 -> "hint";
            default -> "error";
          };
      JsonNode code = d.get("code");
      problems.add(
          new ProblemsResponse.Problem(
              path,
              start.path("line").asInt(0) + 1,
              start.path("character").asInt(0) + 1,
              end.path("line").asInt(0) + 1,
              end.path("character").asInt(0) + 1,
              severity,
              d.path("message").asString(""),
              d.path("source").asString(""),
              code == null || code.isNull() ? null : code.asString()));
    }
    return problems;
  }
}
