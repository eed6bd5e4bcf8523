package dev.constellation.claude.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for project-service's access endpoint and workspace-service's file endpoints, per the
 * contract, on one real HTTP port. Like the real ones it verifies the caller's token itself.
 */
public final class FakeNeighbours implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpServer server;
  private final JwtCodec codec;
  private final Map<String, Map<String, String>> roles = new ConcurrentHashMap<>();
  private final Map<String, Map<String, byte[]>> files = new ConcurrentHashMap<>();
  private final List<String> fileRequestAuthorizations = new CopyOnWriteArrayList<>();
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final List<String> checkpoints = new CopyOnWriteArrayList<>();
  private final Set<String> failingCheckpoints = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicInteger execsClosedByClient =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger treeCalls =
      new java.util.concurrent.atomic.AtomicInteger();

  public FakeNeighbours(JwtCodec codec) {
    this.codec = codec;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-neighbours");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/api/projects/", this::handle);
    server.createContext("/internal/projects/", this::access);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void member(String projectId, String userId, String role) {
    roles.computeIfAbsent(projectId, id -> new ConcurrentHashMap<>()).put(userId, role);
  }

  public void file(String projectId, String path, String content) {
    files
        .computeIfAbsent(projectId, id -> new ConcurrentHashMap<>())
        .put(path, content.getBytes(StandardCharsets.UTF_8));
  }

  public String content(String projectId, String path) {
    byte[] b = files.getOrDefault(projectId, Map.of()).get(path);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** Commands run through exec/stream, in order ("projectId: command"). */
  public List<String> commands() {
    return List.copyOf(commands);
  }

  /** Checkpoints taken, by project id. */
  public List<String> checkpoints() {
    return List.copyOf(checkpoints);
  }

  public void failCheckpoints(String projectId) {
    failingCheckpoints.add(projectId);
  }

  /** Streamed commands whose connection the client closed while they ran ("killed"). */
  public int execsClosedByClient() {
    return execsClosedByClient.get();
  }

  public int treeCalls() {
    return treeCalls.get();
  }

  private static String etag(byte[] content) {
    return "\"" + Integer.toHexString(java.util.Arrays.hashCode(content)) + "\"";
  }

  public List<String> fileRequestAuthorizations() {
    return List.copyOf(fileRequestAuthorizations);
  }

  /** project-service's GET /internal/projects/{id}/access?userId=, which takes a service token. */
  private void access(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] parts = exchange.getRequestURI().getPath().split("/");
      String query = exchange.getRequestURI().getQuery();
      String userId = query != null && query.startsWith("userId=") ? query.substring(7) : null;
      AuthenticatedUser caller;
      try {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        caller = codec.verify(header == null ? null : header.replaceFirst("^Bearer ", ""));
      } catch (RuntimeException e) {
        send(exchange, 401, Map.of("title", "Unauthorized"));
        return;
      }
      if (!caller.isService()
          || userId == null
          || parts.length != 5
          || !parts[4].equals("access")) {
        send(exchange, 403, Map.of("title", "Forbidden"));
        return;
      }
      String role = roles.getOrDefault(parts[3], Map.of()).get(userId);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("projectId", parts[3]);
      body.put("userId", userId);
      body.put("role", role);
      send(exchange, 200, body);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] parts = exchange.getRequestURI().getPath().split("/");
      // /api/projects/{id}/access | /files | /files/content
      if (parts.length < 5) {
        send(exchange, 404, Map.of("title", "Not found"));
        return;
      }
      String projectId = parts[3];
      AuthenticatedUser user;
      try {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        user = codec.verify(header == null ? null : header.replaceFirst("^Bearer ", ""));
      } catch (RuntimeException e) {
        send(exchange, 401, Map.of("title", "Unauthorized"));
        return;
      }
      String role = roles.getOrDefault(projectId, Map.of()).get(user.id());
      if (role == null) {
        send(exchange, 404, Map.of("title", "Not found"));
        return;
      }
      String rest = String.join("/", java.util.Arrays.copyOfRange(parts, 4, parts.length));
      if (rest.equals("access")) {
        send(exchange, 200, Map.of("projectId", projectId, "userId", user.id(), "role", role));
        return;
      }
      fileRequestAuthorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      String path = query(exchange, "path");
      String method = exchange.getRequestMethod();
      boolean editor = role.equals("EDITOR") || role.equals("OWNER");
      Map<String, byte[]> tree = files.computeIfAbsent(projectId, id -> new ConcurrentHashMap<>());
      if (!method.equals("GET") && !rest.equals("search") && !editor) {
        send(exchange, 403, Map.of("title", "Forbidden"));
        return;
      }
      if (rest.equals("files/tree")) {
        treeCalls.incrementAndGet();
        String prefix = path.isEmpty() ? "" : path + "/";
        java.util.TreeSet<String> dirs = new java.util.TreeSet<>();
        List<Map<String, Object>> entries = new ArrayList<>();
        for (var e : new java.util.TreeMap<>(tree).entrySet()) {
          if (!e.getKey().startsWith(prefix)) continue;
          String[] segments = e.getKey().substring(prefix.length()).split("/");
          StringBuilder dir = new StringBuilder(prefix);
          for (int i = 0; i < segments.length - 1; i++) {
            dir.append(segments[i]);
            if (dirs.add(dir.toString()))
              entries.add(Map.of("path", dir.toString(), "type", "dir", "size", 0));
            dir.append('/');
          }
          entries.add(Map.of("path", e.getKey(), "type", "file", "size", e.getValue().length));
        }
        send(exchange, 200, Map.of("entries", entries, "truncated", false));
        return;
      }
      if (rest.equals("files/content") && method.equals("PUT")) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
        byte[] current = tree.get(path);
        if (ifMatch != null && (current == null || !ifMatch.equals(etag(current)))) {
          send(exchange, 412, Map.of("title", "File changed", "detail", "The file changed."));
          return;
        }
        tree.put(path, body);
        send(exchange, 200, Map.of("path", path, "etag", etag(body), "size", body.length));
        return;
      }
      if (rest.equals("files") && method.equals("DELETE")) {
        if (tree.remove(path) == null) {
          send(exchange, 404, Map.of("title", "Not found"));
          return;
        }
        exchange.sendResponseHeaders(204, -1);
        return;
      }
      if (rest.equals("checkpoints") && method.equals("POST")) {
        exchange.getRequestBody().readAllBytes();
        if (failingCheckpoints.contains(projectId)) {
          send(exchange, 507, Map.of("title", "Insufficient storage", "detail", "No space left."));
          return;
        }
        String id = "cp-" + UUID.randomUUID();
        checkpoints.add(projectId);
        Map<String, Object> cp = new LinkedHashMap<>();
        cp.put("id", id);
        cp.put("createdAt", "2026-12-07T00:00:00Z");
        cp.put("label", "x");
        cp.put("fileCount", tree.size());
        cp.put("bytes", 0);
        cp.put("createdBy", user.id());
        send(exchange, 201, cp);
        return;
      }
      if (rest.equals("exec/stream") && method.equals("POST")) {
        var req = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String command = req.path("command").asString("");
        commands.add(projectId + ": " + command);
        exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        var out = exchange.getResponseBody();
        try {
          line(out, Map.of("stream", "stdout", "text", "running " + command + "\n"));
          if (command.startsWith("hang")) {
            // Runs until the client closes the connection, as a real long command would.
            for (int i = 0; i < 600; i++) {
              Thread.sleep(100);
              line(out, Map.of("stream", "stdout", "text", "."));
            }
          }
          line(out, Map.of("stream", "stderr", "text", "warn\n"));
          Map<String, Object> done = new LinkedHashMap<>();
          done.put("done", true);
          done.put("exitCode", command.contains("fail") ? 1 : 0);
          done.put("timedOut", false);
          done.put("killedBy", null);
          done.put("truncated", false);
          line(out, done);
        } catch (IOException | InterruptedException closed) {
          execsClosedByClient.incrementAndGet();
        }
        return;
      }
      if (rest.equals("problems") && method.equals("POST")) {
        var req = JSON.readTree(exchange.getRequestBody().readAllBytes());
        List<Map<String, Object>> problems = new ArrayList<>();
        for (var p : req.path("paths")) {
          byte[] content = tree.get(p.asString());
          if (content != null && new String(content, StandardCharsets.UTF_8).contains("ERROR")) {
            problems.add(
                Map.of(
                    "path",
                    p.asString(),
                    "line",
                    1,
                    "column",
                    1,
                    "endLine",
                    1,
                    "endColumn",
                    2,
                    "severity",
                    "error",
                    "message",
                    "scripted error",
                    "source",
                    "fake"));
          }
        }
        send(
            exchange,
            200,
            Map.of("problems", problems, "languages", List.of(), "unavailable", List.of()));
        return;
      }
      if (rest.equals("search") && method.equals("POST")) {
        var req = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String q = req.path("query").asString("");
        exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        var out = exchange.getResponseBody();
        int matches = 0, found = 0;
        for (var e : new java.util.TreeMap<>(tree).entrySet()) {
          String[] lines = new String(e.getValue(), StandardCharsets.UTF_8).split("\n", -1);
          List<Map<String, Object>> hits = new ArrayList<>();
          for (int i = 0; i < lines.length; i++) {
            int col = lines[i].indexOf(q);
            if (col >= 0)
              hits.add(
                  Map.of(
                      "line",
                      i + 1,
                      "column",
                      col + 1,
                      "length",
                      q.length(),
                      "text",
                      lines[i],
                      "textOffset",
                      0));
          }
          if (!hits.isEmpty()) {
            found++;
            matches += hits.size();
            line(out, Map.of("path", e.getKey(), "etag", etag(e.getValue()), "matches", hits));
          }
        }
        line(
            out,
            Map.of(
                "done",
                true,
                "files",
                found,
                "matches",
                matches,
                "truncated",
                false,
                "limitHit",
                false,
                "timedOut",
                false,
                "engine",
                "walk"));
        return;
      }
      if (rest.equals("files")) {
        String prefix = path.isEmpty() ? "" : path + "/";
        Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
        for (var e : tree.entrySet()) {
          if (!e.getKey().startsWith(prefix)) continue;
          String remainder = e.getKey().substring(prefix.length());
          int slash = remainder.indexOf('/');
          String name = slash < 0 ? remainder : remainder.substring(0, slash);
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("name", name);
          entry.put("path", prefix + name);
          entry.put("type", slash < 0 ? "file" : "dir");
          entry.put("size", slash < 0 ? e.getValue().length : 0);
          entry.put("modifiedAt", "2026-01-01T00:00:00Z");
          entries.putIfAbsent(name, entry);
        }
        send(exchange, 200, new ArrayList<>(entries.values()));
      } else if (rest.equals("files/content")) {
        byte[] content = tree.get(path);
        if (content == null) {
          send(exchange, 404, Map.of("title", "Not found"));
          return;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders().add("ETag", etag(content));
        exchange.sendResponseHeaders(200, content.length);
        exchange.getResponseBody().write(content);
      } else {
        send(exchange, 404, Map.of("title", "Not found"));
      }
    }
  }

  private static String query(HttpExchange exchange, String name) {
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) return "";
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static void line(java.io.OutputStream out, Object body) throws IOException {
    out.write(JSON.writeValueAsBytes(body));
    out.write('\n');
    out.flush();
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
