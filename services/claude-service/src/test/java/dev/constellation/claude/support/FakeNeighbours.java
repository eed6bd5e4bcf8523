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
      Map<String, byte[]> tree = files.getOrDefault(projectId, Map.of());
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
