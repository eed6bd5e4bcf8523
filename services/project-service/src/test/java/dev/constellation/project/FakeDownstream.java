package dev.constellation.project;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Stands in for workspace- and claude-service's internal endpoints ({@code /ws} and {@code /claude}
 * prefixes on one JDK server): the deletes, and workspace-service's archive create/export and files
 * delete on a plain folder (no checks: workspace-service's own tests and the system tests cover
 * hostile archives). A project can be told to fail its next N deletes.
 */
final class FakeDownstream {
  record Call(String service, String projectId, AuthenticatedUser caller, int status) {}

  private final HttpServer server;
  private final JwtCodec jwt;
  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

  private final Path workspaces;

  private FakeDownstream(JwtCodec jwt, Path workspaces) throws IOException {
    this.jwt = jwt;
    this.workspaces = workspaces;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ws/internal/projects/", ex -> handle("workspace", ex));
    server.createContext("/claude/internal/projects/", ex -> handle("claude", ex));
    server.start();
  }

  static FakeDownstream start(JwtCodec jwt, Path workspaces) {
    try {
      return new FakeDownstream(jwt, workspaces);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  String workspaceUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/ws";
  }

  String claudeUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/claude";
  }

  void failNext(String service, String projectId, int times) {
    failuresLeft.put(service + "/" + projectId, new AtomicInteger(times));
  }

  List<Call> callsFor(String projectId) {
    return calls.stream().filter(c -> c.projectId().equals(projectId)).toList();
  }

  private void handle(String service, HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.endsWith("/archive") || path.endsWith("/files")) {
      files(exchange, path);
      return;
    }
    String projectId = path.substring(path.lastIndexOf('/') + 1);
    AuthenticatedUser caller = null;
    int status;
    try {
      String header = exchange.getRequestHeaders().getFirst("Authorization");
      caller = jwt.verify(header == null ? null : header.substring("Bearer ".length()));
      AtomicInteger left = failuresLeft.get(service + "/" + projectId);
      if (!"DELETE".equals(exchange.getRequestMethod())) status = 405;
      else if (!caller.isService()) status = 403;
      else if (left != null && left.getAndDecrement() > 0) status = 503;
      else status = 204;
    } catch (RuntimeException e) {
      status = 401;
    }
    calls.add(new Call(service, projectId, caller, status));
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private void files(HttpExchange exchange, String path) throws IOException {
    String[] parts = path.split("/");
    String projectId = parts[parts.length - 2];
    Path dir = workspaces.resolve(projectId);
    try (exchange) {
      String header = exchange.getRequestHeaders().getFirst("Authorization");
      if (header == null || !jwt.verify(header.substring("Bearer ".length())).isService()) {
        exchange.sendResponseHeaders(403, -1);
        return;
      }
      switch (exchange.getRequestMethod() + " " + parts[parts.length - 1]) {
        case "PUT archive" -> {
          Files.createDirectories(dir);
          try (ZipInputStream zip = new ZipInputStream(exchange.getRequestBody())) {
            String prefix = null;
            java.util.List<ZipEntry> entries = new java.util.ArrayList<>();
            Map<String, byte[]> contents = new java.util.LinkedHashMap<>();
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
              entries.add(e);
              contents.put(e.getName(), zip.readAllBytes());
            }
            prefix = commonTop(contents.keySet());
            for (var entry : contents.entrySet()) {
              String name = entry.getKey().substring(prefix.length());
              if (name.isEmpty()) continue;
              Path out = dir.resolve(name);
              if (name.endsWith("/")) Files.createDirectories(out);
              else {
                Files.createDirectories(out.getParent());
                Files.write(out, entry.getValue());
              }
            }
          }
          exchange.sendResponseHeaders(201, -1);
        }
        case "GET archive" -> {
          exchange.getResponseHeaders().add("Content-Type", "application/zip");
          exchange.sendResponseHeaders(200, 0);
          try (ZipOutputStream zip = new ZipOutputStream(exchange.getResponseBody());
              Stream<Path> walk = Files.exists(dir) ? Files.walk(dir) : Stream.empty()) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
              if (p.equals(dir) || Files.isSymbolicLink(p)) continue;
              String name = dir.relativize(p).toString();
              if (Files.isDirectory(p)) {
                zip.putNextEntry(new ZipEntry(name + "/"));
              } else {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(Files.readAllBytes(p));
              }
              zip.closeEntry();
            }
          }
        }
        case "DELETE files" -> {
          if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
              for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
                Files.delete(p);
            }
          }
          exchange.sendResponseHeaders(204, -1);
        }
        default -> exchange.sendResponseHeaders(405, -1);
      }
    } catch (RuntimeException e) {
      exchange.sendResponseHeaders(401, -1);
    }
  }

  private static String commonTop(java.util.Set<String> names) {
    String top = null;
    boolean nested = false;
    for (String name : names) {
      int slash = name.indexOf('/');
      if (slash < 0) return "";
      String first = name.substring(0, slash);
      if (top == null) top = first;
      else if (!top.equals(first)) return "";
      if (slash < name.length() - 1) nested = true;
    }
    return nested ? top + "/" : "";
  }
}
