package dev.constellation.project;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for workspace- and claude-service's internal delete endpoints ({@code /ws} and
 * {@code /claude} prefixes on one JDK server). A project can be told to fail its next N calls.
 */
final class FakeDownstream {
  record Call(String service, String projectId, AuthenticatedUser caller, int status) {}

  private final HttpServer server;
  private final JwtCodec jwt;
  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

  private FakeDownstream(JwtCodec jwt) throws IOException {
    this.jwt = jwt;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ws/internal/projects/", ex -> handle("workspace", ex));
    server.createContext("/claude/internal/projects/", ex -> handle("claude", ex));
    server.start();
  }

  static FakeDownstream start(JwtCodec jwt) {
    try {
      return new FakeDownstream(jwt);
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
}
