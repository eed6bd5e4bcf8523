package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A browser's view of preview origins: every request goes to the gateway's loopback port with the
 * Host header of the preview URL ({@code p3000-<id>.preview.localhost:<port>}, which browsers
 * resolve to loopback themselves), raw over a socket because java.net.http cannot set Host. One
 * request per connection; WebSocket upgrades done by hand.
 */
final class PreviewHttp {
  static final String COOKIE = "constellation_preview";
  static final String SERVER_JS =
      """
      const http = require('http'), crypto = require('crypto');
      const port = +process.argv[2];
      const server = http.createServer((req, res) => {
        if (req.url === '/metadata') { res.writeHead(302, {Location: 'http://169.254.169.254/latest/meta-data/'}); return res.end(); }
        if (req.url === '/self') { res.writeHead(302, {Location: 'http://localhost:' + port + '/landing?x=1'}); return res.end(); }
        let body = '';
        req.on('data', c => body += c);
        req.on('end', () => {
          res.writeHead(200, {'Content-Type': 'application/json', 'Set-Cookie': 'app=1; Path=/'});
          res.end(JSON.stringify({marker: 'preview-app-' + port, method: req.method, url: req.url, headers: req.headers, body}));
        });
      });
      server.on('upgrade', (req, sock) => {
        const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
        sock.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ' + accept + '\\r\\n\\r\\n');
        sock.on('data', d => {
          if (d.length < 6) return;
          if ((d[0] & 15) === 8) return sock.end();
          const len = d[1] & 127, mask = d.slice(2, 6), p = Buffer.alloc(len);
          for (let i = 0; i < len; i++) p[i] = d[6 + i] ^ mask[i % 4];
          const reply = Buffer.concat([Buffer.from('echo:' + req.headers.host + ':'), p]);
          sock.write(Buffer.concat([Buffer.from([0x81, reply.length]), reply]));
        });
      });
      server.listen(port);
      """;

  record Response(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    List<String> all(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The preview cookie this response sets, as {@code name=value}, or null. */
    String previewCookie() {
      for (String c : all("set-cookie")) {
        if (c.startsWith(COOKIE + "=")) return c.substring(0, c.indexOf(';'));
      }
      return null;
    }

    JsonNode json() {
      return Api.JSON.readTree(body);
    }
  }

  private PreviewHttp() {}

  /** Starts the test server (HTTP + WebSocket echo) on {@code port} inside the workspace. */
  static void startServer(Workspaces.Project p, int port) throws Exception {
    JsonNode result =
        p.exec(
            "cat > /tmp/srv"
                + port
                + ".js <<'EOF'\n"
                + SERVER_JS
                + "EOF\nsetsid nohup node /tmp/srv"
                + port
                + ".js "
                + port
                + " >/tmp/srv"
                + port
                + ".log 2>&1 </dev/null &");
    assertThat(result.path("exitCode").asInt()).as(result.toString()).isZero();
  }

  /** The ports the API lists for the project. */
  static List<Integer> listedPorts(Workspaces.Project p) throws Exception {
    HttpResponse<String> r =
        p.api().get("/api/projects/" + p.id() + "/ports", p.owner().accessToken());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<Integer> ports = new ArrayList<>();
    for (JsonNode n : Api.json(r)) ports.add(n.path("port").asInt());
    return ports;
  }

  /** Polls GET /ports every 50 ms until {@code port} is listed; returns the time that took. */
  static long waitListed(Workspaces.Project p, int port, long limitMillis) throws Exception {
    long began = System.nanoTime();
    while ((System.nanoTime() - began) / 1_000_000 < limitMillis) {
      if (listedPorts(p).contains(port)) return (System.nanoTime() - began) / 1_000_000;
      Thread.sleep(50);
    }
    throw new AssertionError("port " + port + " not listed within " + limitMillis + " ms");
  }

  /** POST preview-session as {@code token}: the status and, on 200, the ticket URL. */
  static HttpResponse<String> session(Api api, String projectId, int port, String token)
      throws Exception {
    return api.send(
        "POST",
        "/api/projects/" + projectId + "/ports/" + port + "/preview-session",
        token,
        Map.of("path", "/"));
  }

  /** A member's preview cookie for the port, through the ticket redirect. */
  static String memberCookie(Api api, String projectId, int port, String token) throws Exception {
    HttpResponse<String> s = session(api, projectId, port, token);
    assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
    Response redirect = get(URI.create(Api.json(s).path("url").asString()), null);
    assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
    assertThat(redirect.header("location")).isEqualTo("/");
    String cookie = redirect.previewCookie();
    assertThat(cookie).as("Set-Cookie %s", redirect.all("set-cookie")).isNotNull();
    return cookie;
  }

  static URI previewUrl(String projectId, int port, String path) {
    return URI.create(
        "http://p"
            + port
            + "-"
            + projectId
            + ".preview.localhost:"
            + SystemStack.get().gatewayPort()
            + path);
  }

  static String previewOrigin(String projectId, int port) {
    return "http://p"
        + port
        + "-"
        + projectId
        + ".preview.localhost:"
        + SystemStack.get().gatewayPort();
  }

  static Response get(URI url, String cookie) throws IOException {
    return send("GET", url, cookie == null ? Map.of() : Map.of("Cookie", cookie), null);
  }

  static Response send(String method, URI url, Map<String, String> headers, String body)
      throws IOException {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(url.getRawPath().isEmpty() ? "/" : url.getRawPath());
    if (url.getRawQuery() != null) head.append('?').append(url.getRawQuery());
    head.append(" HTTP/1.1\r\nHost: ").append(url.getRawAuthority()).append("\r\n");
    head.append("Connection: close\r\n");
    if (body != null || !method.equals("GET"))
      head.append("Content-Length: ").append(content.length).append("\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    try (Socket socket = connect()) {
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      request.write(content);
      socket.getOutputStream().write(request.toByteArray());
      socket.getOutputStream().flush();
      return parse(socket.getInputStream().readAllBytes());
    }
  }

  /**
   * Opens a WebSocket at {@code url} with these headers, sends one text message and returns the
   * first answer, or {@code "HTTP <status>"} when the upgrade was refused.
   */
  static String websocketEcho(URI url, Map<String, String> headers, String message)
      throws IOException {
    byte[] keyBytes = new byte[16];
    new SecureRandom().nextBytes(keyBytes);
    StringBuilder head = new StringBuilder();
    head.append("GET ").append(url.getRawPath().isEmpty() ? "/" : url.getRawPath());
    head.append(" HTTP/1.1\r\nHost: ").append(url.getRawAuthority()).append("\r\n");
    head.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n");
    head.append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(keyBytes));
    head.append("\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String status;
      try {
        status = readHead(in);
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError("no answer to the WebSocket upgrade within 20 s", e);
      }
      int code = Integer.parseInt(status.split(" ", 3)[1]);
      if (code != 101) return "HTTP " + code;
      byte[] payload = message.getBytes(StandardCharsets.UTF_8);
      byte[] mask = {1, 2, 3, 4};
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.write(0x81);
      frame.write(0x80 | payload.length);
      frame.write(mask);
      for (int i = 0; i < payload.length; i++) frame.write(payload[i] ^ mask[i % 4]);
      out.write(frame.toByteArray());
      out.flush();
      try {
        int first = in.read();
        int len = in.read() & 0x7f;
        if (first < 0) return "closed";
        byte[] reply = in.readNBytes(len);
        return new String(reply, StandardCharsets.UTF_8);
      } catch (java.net.SocketTimeoutException e) {
        // Tells a lost first frame (gateway or app) from a slow upgrade when it happens again.
        throw new AssertionError(
            "upgraded (" + status.lines().findFirst().orElse("") + ") but no echo within 20 s", e);
      }
    }
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.setSoTimeout(20_000);
    socket.connect(new InetSocketAddress("127.0.0.1", SystemStack.get().gatewayPort()), 5_000);
    return socket;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) break;
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static Response parse(byte[] raw) throws IOException {
    String all = new String(raw, StandardCharsets.ISO_8859_1);
    int split = all.indexOf("\r\n\r\n");
    if (split < 0) throw new IOException("no response head: " + all);
    String[] lines = all.substring(0, split).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers
          .computeIfAbsent(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, split + 4, raw.length);
    List<String> te = headers.get("transfer-encoding");
    if (te != null && te.get(0).equalsIgnoreCase("chunked")) body = dechunk(body);
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (pos < data.length) {
      int lineEnd = pos;
      while (lineEnd + 1 < data.length && !(data[lineEnd] == '\r' && data[lineEnd + 1] == '\n'))
        lineEnd++;
      String sizeLine =
          new String(data, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      if (sizeLine.isEmpty()) break;
      int size = Integer.parseInt(sizeLine, 16);
      if (size == 0) break;
      out.write(data, lineEnd + 2, size);
      pos = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  // --- forging cookies with the stack's own secret, to prove which checks hold ---

  /** The cookie's signed record (the part before the dot), decoded. */
  static ObjectNode cookieRecord(String cookie) {
    String value = cookie.substring(cookie.indexOf('=') + 1);
    String body = value.substring(0, value.indexOf('.'));
    return (ObjectNode) Api.JSON.readTree(Base64.getUrlDecoder().decode(body));
  }

  /** A cookie carrying {@code record}, signed as the gateway signs (with its JWT secret). */
  static String signedCookie(JsonNode record, String secret, String purpose) {
    String body =
        Base64.getUrlEncoder().withoutPadding().encodeToString(Api.JSON.writeValueAsBytes(record));
    byte[] key = hmac(secret.getBytes(StandardCharsets.UTF_8), purpose);
    return COOKIE
        + "="
        + body
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, body));
  }

  /** The same record under the same signature, but with a changed body: a forgery. */
  static String tamperedCookie(String cookie, JsonNode record) {
    String value = cookie.substring(cookie.indexOf('=') + 1);
    String mac = value.substring(value.indexOf('.') + 1);
    String body =
        Base64.getUrlEncoder().withoutPadding().encodeToString(Api.JSON.writeValueAsBytes(record));
    return COOKIE + "=" + body + "." + mac;
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
