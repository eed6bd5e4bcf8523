package dev.constellation.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A browser (and Java's HTTP client) sends its next request on the connection that carried a
 * refused one. In CI, a request sent right after a 400 for an ambiguous path on the same connection
 * got no answer at all for 60 s. Every request on a kept-alive connection is answered, whatever the
 * one before it was.
 */
class KeepAliveAfterRefusalIT extends GatewayTestBase {
  private static final int ROUNDS = 150;

  @Test
  void theRequestAfterARefusedOneOnTheSameConnectionIsAnswered() throws Exception {
    List<String> paths =
        List.of(
            "/api/admin;x/audit",
            "/api/admin/audit;x",
            "/api//admin/audit",
            "/api/projects/p1/files/%2e%2e/x",
            "/api/nothing-here",
            "/api/health");
    List<String> unanswered = new ArrayList<>();
    Socket socket = open();
    for (int round = 0; round < ROUNDS; round++) {
      for (String path : paths) {
        if (socket.isClosed()) socket = open();
        try {
          HttpAnswer answer = exchange(socket, "GET", path);
          assertThat(answer.status()).as(path).isBetween(200, 499);
          if (answer.closes()) socket.close();
        } catch (java.net.SocketTimeoutException e) {
          unanswered.add("round " + round + ": GET " + path);
          socket.close();
        }
      }
    }
    socket.close();
    assertThat(unanswered).as("requests that got no answer within 10 s").isEmpty();
  }

  /**
   * A refusal that never reads the request's body (401 before the body of a sign-in-only POST is
   * looked at): in CI the next request on that connection waited 10 s for its answer.
   */
  @Test
  void theRequestAfterARefusedPostWhoseBodyWasNotReadIsAnswered() throws Exception {
    String body =
        "{\"currentPassword\":\"correct horse battery\",\"newPassword\":\"long enough password\"}";
    List<String> unanswered = new ArrayList<>();
    Socket socket = open();
    for (int round = 0; round < ROUNDS; round++) {
      for (String[] request :
          List.of(
              new String[] {"POST", "/api/auth/password", body},
              new String[] {"GET", "/api/health", null})) {
        if (socket.isClosed()) socket = open();
        try {
          HttpAnswer answer = exchange(socket, request[0], request[1], request[2]);
          assertThat(answer.status()).as(request[1]).isBetween(200, 499);
          if (answer.closes()) socket.close();
        } catch (java.net.SocketTimeoutException e) {
          unanswered.add("round " + round + ": " + request[0] + " " + request[1]);
          socket.close();
        }
      }
    }
    socket.close();
    assertThat(unanswered).as("requests that got no answer within 10 s").isEmpty();
  }

  private Socket open() throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    return socket;
  }

  record HttpAnswer(int status, boolean closes) {}

  private static HttpAnswer exchange(Socket socket, String method, String path) throws IOException {
    return exchange(socket, method, path, null);
  }

  private static HttpAnswer exchange(Socket socket, String method, String path, String body)
      throws IOException {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n";
    if (body != null)
      request += "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n";
    socket.getOutputStream().write((request + "\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().write(content);
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    String head = readHead(in);
    int status = Integer.parseInt(head.substring(9, 12));
    int length = 0;
    boolean chunked = false;
    boolean closes = false;
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:"))
        length = Integer.parseInt(lower.substring(15).trim());
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
      if (lower.startsWith("connection:") && lower.contains("close")) closes = true;
    }
    if (chunked) readChunked(in);
    else in.readNBytes(length);
    return new HttpAnswer(status, closes);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new IOException("connection closed before a response head");
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static void readChunked(InputStream in) throws IOException {
    while (true) {
      StringBuilder size = new StringBuilder();
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) throw new IOException("connection closed inside a chunked body");
        if (b != '\r') size.append((char) b);
      }
      int n = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
      in.readNBytes(n + 2);
      if (n == 0) return;
    }
  }
}
