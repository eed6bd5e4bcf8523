package dev.constellation.system.security;

import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * HTTP/1.1 from a chosen loopback source address (127.x.y.z all reach the stack on Linux), so that
 * a test is its own "client address" for the gateway's per-address limits: it neither meets other
 * tests' buckets nor drains theirs. java.net.http cannot pick a local address on Java 17. One
 * request per connection; raw paths are sent exactly as given (no re-encoding).
 */
public final class EdgeHttp {
  private static final AtomicInteger NEXT = new AtomicInteger(1);

  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public JsonNode json() {
      return Api.JSON.readTree(body);
    }
  }

  private final InetAddress source;
  private final URI base;

  private EdgeHttp(InetAddress source, URI base) {
    this.source = source;
    this.base = base;
  }

  /** A client at a loopback address no other EdgeHttp of this JVM uses (127.77.x.y). */
  static EdgeHttp freshClient() {
    return at(SystemStack.gatewayUrl());
  }

  public static EdgeHttp at(String baseUrl) {
    int n = NEXT.getAndIncrement();
    try {
      return new EdgeHttp(
          InetAddress.getByAddress(new byte[] {127, 77, (byte) (n / 250), (byte) (1 + n % 250)}),
          URI.create(baseUrl));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String address() {
    return source.getHostAddress();
  }

  public Response send(
      String method, String rawPath, String token, String json, Map<String, String> extraHeaders)
      throws IOException {
    return send(
        method,
        rawPath,
        token,
        json == null ? null : "application/json",
        json == null ? null : json.getBytes(StandardCharsets.UTF_8),
        extraHeaders);
  }

  public Response send(
      String method,
      String rawPath,
      String token,
      String contentType,
      byte[] content,
      Map<String, String> extraHeaders)
      throws IOException {
    byte[] body = content == null ? new byte[0] : content;
    StringBuilder head =
        new StringBuilder()
            .append(method)
            .append(' ')
            .append(rawPath)
            .append(" HTTP/1.1\r\n")
            .append("Host: ")
            .append(base.getHost())
            .append(':')
            .append(base.getPort())
            .append("\r\n")
            .append("Connection: close\r\n");
    if (extraHeaders.keySet().stream().noneMatch("Accept"::equalsIgnoreCase)) {
      head.append("Accept: application/json, application/problem+json\r\n");
    }
    if (token != null) head.append("Authorization: Bearer ").append(token).append("\r\n");
    if (contentType != null) head.append("Content-Type: ").append(contentType).append("\r\n");
    if (content != null || !method.equals("GET"))
      head.append("Content-Length: ").append(body.length).append("\r\n");
    extraHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(40_000);
      socket.bind(new InetSocketAddress(source, 0));
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      // One write: a server that answers before reading the body (a filter refusing the request)
      // then has nothing unread, so closing does not reset the connection under its answer.
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      request.write(body);
      OutputStream out = socket.getOutputStream();
      out.write(request.toByteArray());
      out.flush();
      return parse(socket.getInputStream().readAllBytes());
    }
  }

  public Response get(String rawPath, String token) throws IOException {
    return send("GET", rawPath, token, null, Map.of());
  }

  public Response post(String rawPath, String token, String json) throws IOException {
    return send("POST", rawPath, token, json, Map.of());
  }

  /** Registers (202) and signs in from this address; returns the access token and user id. */
  public Api.Session signUp(String name) throws IOException {
    String email =
        name + "-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    Response registered =
        post(
            "/api/auth/register",
            null,
            Api.JSON.writeValueAsString(
                Map.of(
                    "email",
                    email,
                    "password",
                    "correct horse battery staple",
                    "displayName",
                    name)));
    if (registered.status() != 202)
      throw new IllegalStateException("register: " + registered.status() + " " + registered.body());
    Response login =
        post(
            "/api/auth/login",
            null,
            Api.JSON.writeValueAsString(
                Map.of("email", email, "password", "correct horse battery staple")));
    if (login.status() != 200)
      throw new IllegalStateException("login: " + login.status() + " " + login.body());
    JsonNode body = login.json();
    return new Api.Session(
        body.path("user").path("id").asString(),
        email,
        body.path("accessToken").asString(),
        body.path("refreshToken").asString());
  }

  private static Response parse(byte[] raw) throws IOException {
    int split = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (split < 0) throw new IOException("no complete HTTP response (" + raw.length + " bytes)");
    String[] lines = new String(raw, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0)
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
    }
    byte[] rest = java.util.Arrays.copyOfRange(raw, split + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) rest = dechunk(rest);
    return new Response(status, headers, new String(rest, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = new java.io.ByteArrayInputStream(data);
    while (true) {
      StringBuilder size = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') if (c != '\r') size.append((char) c);
      String hex = size.toString().split(";")[0].trim();
      if (hex.isEmpty()) {
        if (c == -1) return out.toByteArray();
        continue;
      }
      int n = Integer.parseInt(hex, 16);
      if (n == 0) return out.toByteArray();
      out.write(in.readNBytes(n));
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
      return i;
    }
    return -1;
  }
}
