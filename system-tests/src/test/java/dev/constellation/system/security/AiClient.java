package dev.constellation.system.security;

import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The AI part of the public API as the browser uses it, through the gateway: chat streams read
 * event by event, edit proposals, files; and every response it saw, so that a test can search them
 * all for a secret.
 */
final class AiClient {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A user with a token. */
  record User(String id, String token) {}

  /** One response as a client saw it: status, headers and body. */
  record Seen(String what, int status, String headers, String body) {}

  /** One server-sent event. */
  record Event(String name, String data) {
    JsonNode json() {
      return JSON.readTree(data);
    }
  }

  /** A chat answer read to its end (or until the stream stopped). */
  record Answer(int status, String contentType, List<Event> events, String body) {
    boolean hasEvent(String name) {
      return events.stream().anyMatch(e -> e.name().equals(name));
    }

    Event event(String name) {
      return events.stream()
          .filter(e -> e.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + name + " event in " + events + " " + body));
    }
  }

  final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final String base = SystemStack.gatewayUrl();

  User register(String name) throws Exception {
    // Sign-up answers 202 without tokens; Api.register signs in after it.
    Api.Session session = new Api(base).register(name);
    return new User(session.userId(), session.accessToken());
  }

  String project(User owner) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/api/projects",
            owner.token(),
            Map.of("name", "AI attacks", "templateId", "node"));
    if (r.statusCode() != 201)
      throw new IllegalStateException("project failed: " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body()).path("id").asString();
  }

  void addMember(User owner, String projectId, User member, String role) throws Exception {
    HttpResponse<String> r =
        send(
            "PUT",
            "/api/projects/" + projectId + "/members/" + member.id(),
            owner.token(),
            Map.of("role", role));
    if (r.statusCode() != 200)
      throw new IllegalStateException("member failed: " + r.statusCode() + " " + r.body());
  }

  String conversation(User user, String projectId) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/api/projects/" + projectId + "/conversations",
            user.token(),
            Map.of("title", "t"));
    if (r.statusCode() != 201)
      throw new IllegalStateException("conversation failed: " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body()).path("id").asString();
  }

  HttpResponse<String> proposeEdits(User user, String projectId, String instruction)
      throws Exception {
    return send(
        "POST",
        "/api/projects/" + projectId + "/ai/edits",
        user.token(),
        Map.of("instruction", instruction));
  }

  HttpResponse<String> proposeEdits(
      User user, String projectId, String instruction, List<String> paths) throws Exception {
    return send(
        "POST",
        "/api/projects/" + projectId + "/ai/edits",
        user.token(),
        Map.of("instruction", instruction, "paths", paths));
  }

  HttpResponse<String> readFile(User user, String projectId, String path) throws Exception {
    return send(
        "GET",
        "/api/projects/"
            + projectId
            + "/files/content?path="
            + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8),
        user.token(),
        null);
  }

  HttpResponse<String> writeFile(User user, String projectId, String path, String content)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    base
                        + "/api/projects/"
                        + projectId
                        + "/files/content?path="
                        + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + user.token())
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofString(content))
            .build();
    return record("PUT file " + path, HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  /**
   * Sends a message and reads the answer to its end; fails the test if it does not end within
   * {@code limit}.
   */
  Answer chat(User user, String conversationId, String content, Duration limit) throws Exception {
    HttpResponse<InputStream> r = openChat(user, conversationId, content);
    CompletableFuture<Answer> read = CompletableFuture.supplyAsync(() -> readAll(r));
    try {
      Answer answer = read.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      seen.add(
          new Seen(
              "chat " + content, answer.status(), r.headers().map().toString(), answer.body()));
      return answer;
    } catch (java.util.concurrent.TimeoutException e) {
      r.body().close();
      throw new AssertionError(
          "the answer to '" + content + "' did not end within " + limit + ": the client hangs");
    }
  }

  /** Opens a chat stream and leaves reading it to the caller. */
  HttpResponse<InputStream> openChat(User user, String conversationId, String content)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(base + "/api/conversations/" + conversationId + "/messages"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + user.token())
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSON.writeValueAsString(Map.of("content", content))))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Reads events until {@code name} arrives; answers what was read. */
  static List<Event> readUntil(BufferedReader reader, String name) throws IOException {
    List<Event> events = new ArrayList<>();
    String event = "message";
    StringBuilder data = new StringBuilder();
    for (String line; (line = reader.readLine()) != null; ) {
      if (line.isEmpty()) {
        if (data.length() > 0) {
          events.add(new Event(event, data.toString()));
          if (event.equals(name)) return events;
        }
        event = "message";
        data.setLength(0);
      } else if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        if (data.length() > 0) data.append('\n');
        data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
      }
    }
    return events;
  }

  static BufferedReader reader(HttpResponse<InputStream> r) {
    return new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
  }

  private static Answer readAll(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String contentType = r.headers().firstValue("Content-Type").orElse("");
      List<Event> events =
          contentType.startsWith("text/event-stream")
              ? readUntil(new BufferedReader(new java.io.StringReader(body)), "\0")
              : List.of();
      return new Answer(r.statusCode(), contentType, events, body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  HttpResponse<String> send(String method, String path, String token, Object body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) request.header("Authorization", "Bearer " + token);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    return record(
        method + " " + path, HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  private HttpResponse<String> record(String what, HttpResponse<String> r) {
    seen.add(new Seen(what, r.statusCode(), r.headers().map().toString(), r.body()));
    return r;
  }

  /** What the fake Messages API saw of the request tagged {@code FAKE-TAG:tag}, or null. */
  static JsonNode upstreamRequest(String tag) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(SystemStack.fakeAnthropicUrl() + "/_fake/requests"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    for (JsonNode n : JSON.readTree(r.body())) {
      if (n.path("tag").asString().equals(tag)) return n;
    }
    return null;
  }

  static String tag() {
    return UUID.randomUUID().toString().substring(0, 12);
  }
}
