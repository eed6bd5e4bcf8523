package dev.constellation.workspace;

import com.sun.net.httpserver.HttpServer;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stands in for project-service's access endpoint: answers the roles a test grants. */
final class AccessStub {
  private final HttpServer server;
  private final Map<String, String> roles = new ConcurrentHashMap<>();

  AccessStub(JwtCodec jwt) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // GET /internal/projects/{id}/access?userId=, asked with a service token as project-service
    // expects.
    server.createContext(
        "/internal/projects/",
        exchange -> {
          String[] parts = exchange.getRequestURI().getPath().split("/");
          String query = exchange.getRequestURI().getQuery();
          String userId = query != null && query.startsWith("userId=") ? query.substring(7) : null;
          String header = exchange.getRequestHeaders().getFirst("Authorization");
          int status;
          String body = "";
          try {
            AuthenticatedUser caller = jwt.verify(header == null ? null : header.substring(7));
            if (!caller.isService() || userId == null) {
              status = 403;
            } else {
              String role =
                  parts.length == 5 && "access".equals(parts[4])
                      ? roles.get(parts[3] + "|" + userId)
                      : null;
              status = 200;
              body =
                  "{\"projectId\":\""
                      + parts[3]
                      + "\",\"userId\":\""
                      + userId
                      + "\",\"role\":"
                      + (role == null ? "null" : "\"" + role + "\"")
                      + "}";
            }
          } catch (RuntimeException e) {
            status = 401;
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
          if (bytes.length > 0) exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void grant(String projectId, String userId, String role) {
    roles.put(projectId + "|" + userId, role);
  }

  void revoke(String projectId, String userId) {
    roles.remove(projectId + "|" + userId);
  }
}
