package dev.constellation.workspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * POST /exec/stream over a plain socket, so that a test controls the connection itself: it reads
 * the NDJSON lines as they come and can drop the connection mid-command, as a stopped agent does.
 */
final class ExecStreamClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  final int status;
  final String headers;

  private ExecStreamClient(Socket socket, int status, String headers) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.status = status;
    this.headers = headers;
  }

  static ExecStreamClient open(int port, String token, String projectId, Map<String, ?> body)
      throws IOException {
    byte[] json = Api.JSON.writeValueAsBytes(body);
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) Duration.ofSeconds(60).toMillis());
    OutputStream out = socket.getOutputStream();
    String head =
        "POST /api/projects/"
            + projectId
            + "/exec/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + json.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(json);
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder headers = new StringBuilder();
    while (!headers.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) break;
      headers.append((char) b);
    }
    int status = Integer.parseInt(headers.substring(9, 12));
    return new ExecStreamClient(socket, status, headers.toString());
  }

  /** The next NDJSON line of the (chunked) body, null at its end. */
  JsonNode nextLine() throws IOException {
    while (true) {
      String line = rawLine();
      if (line == null) return null;
      if (!line.isEmpty()) return Api.JSON.readTree(line);
    }
  }

  /** Every line until the end, keep-alives (empty stdout text) left out. */
  List<JsonNode> rest() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    JsonNode line;
    while ((line = nextLine()) != null) {
      if (!line.path("text").asString("x").isEmpty()) lines.add(line);
    }
    return lines;
  }

  /** The whole body as text (for a problem answer). */
  String body() throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private int chunkLeft;
  private boolean ended;

  /** One byte of the chunked body; -1 at its end. */
  private int read() throws IOException {
    if (ended) return -1;
    if (!headers.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
      int b = in.read();
      if (b < 0) ended = true;
      return b;
    }
    if (chunkLeft == 0) {
      String size = headerLine();
      if (size.isEmpty()) size = headerLine(); // the CRLF after the previous chunk
      chunkLeft = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (chunkLeft == 0) {
        ended = true;
        return -1;
      }
    }
    int b = in.read();
    if (b < 0) ended = true;
    else chunkLeft--;
    return b;
  }

  private String headerLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') line.append((char) b);
    if (b < 0) throw new IOException("connection closed inside the chunked body");
    return line.toString().strip();
  }

  private String rawLine() throws IOException {
    pending.reset();
    int b;
    while ((b = read()) >= 0) {
      if (b == '\n') return pending.toString(StandardCharsets.UTF_8).stripTrailing();
      pending.write(b);
    }
    return pending.size() == 0 ? null : pending.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
