package dev.constellation.claude.support;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.fakeanthropic.FakeAnthropic;
import dev.constellation.localstack.TestInfrastructure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service on a random port against real servers: the shared MongoDB-wire server and
 * redis-server, the fake Anthropic API and the fake project and workspace services, plus the HTTP
 * helpers tests call it with. The settings come from a subclass: {@link TestStack} for the shared
 * context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServiceClient {
  public static final JwtCodec CODEC =
      new JwtCodec(
          TestInfrastructure.JWT_SECRET, "constellation", "constellation-api", Clock.systemUTC());
  public static final FakeAnthropic ANTHROPIC = new FakeAnthropic();
  public static final FakeNeighbours NEIGHBOURS = new FakeNeighbours(CODEC);
  public static final long DAILY_BUDGET = 1_000_000;

  /** Larger than a user's: only a project several members spent in runs out. */
  public static final long PROJECT_DAILY_BUDGET = 3_000_000;

  protected static final JsonMapper JSON = JsonMapper.builder().build();
  protected static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  protected static void register(DynamicPropertyRegistry registry, boolean withApiKey) {
    registry.add("spring.mongodb.uri", () -> TestInfrastructure.mongo().uri());
    registry.add("spring.data.redis.url", () -> TestInfrastructure.redis().url());
    registry.add("constellation.auth.jwt-secret", () -> TestInfrastructure.JWT_SECRET);
    registry.add("constellation.services.project-url", NEIGHBOURS::baseUrl);
    registry.add("constellation.access.cache-ttl", () -> "0s");
    registry.add("constellation.claude.workspace-url", NEIGHBOURS::baseUrl);
    registry.add(
        "constellation.claude.anthropic.api-key", () -> withApiKey ? FakeAnthropic.API_KEY : "");
    registry.add("constellation.claude.anthropic.base-url", ANTHROPIC::baseUrl);
    registry.add("constellation.claude.retry.initial-backoff", () -> "20ms");
    registry.add("constellation.claude.retry.max-backoff", () -> "100ms");
    registry.add("constellation.claude.retry.max-total", () -> "3s");
    registry.add("constellation.claude.context.history-token-budget", () -> "2000");
    registry.add("constellation.claude.daily-token-budget", () -> DAILY_BUDGET);
    registry.add("constellation.claude.project-daily-token-budget", () -> PROJECT_DAILY_BUDGET);
    registry.add("constellation.claude.agent.max-steps", () -> "4");
  }

  @LocalServerPort protected int port;
  @Autowired protected MongoTemplate mongo;

  @BeforeEach
  void resetFakes() {
    ANTHROPIC.reset();
  }

  /** A fresh user and a fresh project in which the user holds {@code role}. */
  protected record Member(String userId, String token, String projectId) {}

  protected static Member member(String role) {
    String userId = "u-" + UUID.randomUUID();
    String projectId = "p-" + UUID.randomUUID();
    NEIGHBOURS.member(projectId, userId, role);
    return new Member(userId, token(userId, Set.of("USER")), projectId);
  }

  protected static Member joining(Member other, String role) {
    String userId = "u-" + UUID.randomUUID();
    NEIGHBOURS.member(other.projectId(), userId, role);
    return new Member(userId, token(userId, Set.of("USER")), other.projectId());
  }

  protected static String token(String userId, Set<String> roles) {
    return CODEC.sign(
        new AuthenticatedUser(userId, userId + "@example.test", roles), Duration.ofMinutes(15));
  }

  protected String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  protected record Response(int status, String contentType, String body) {
    public JsonNode json() {
      return JSON.readTree(body);
    }
  }

  protected Response call(String method, String path, String token, Object body) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
      if (token != null) b.header("Authorization", "Bearer " + token);
      b.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      if (body != null) b.header("Content-Type", "application/json");
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  protected String newConversation(Member m) {
    Response r =
        call(
            "POST",
            "/api/projects/" + m.projectId() + "/conversations",
            m.token(),
            java.util.Map.of("title", "t"));
    if (r.status() != 201) throw new IllegalStateException("create failed: " + r);
    return r.json().get("id").asString();
  }

  /** One server-sent event and when it arrived (ms since the request was sent). */
  public record Event(String name, String data, long atMillis) {
    public JsonNode json() {
      return JSON.readTree(data);
    }
  }

  protected record Stream(int status, String contentType, List<Event> events, String body) {}

  /** Sends a message and reads the whole event stream (or the JSON problem, when refused). */
  protected Stream send(String conversationId, String token, Object body) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(url("/api/conversations/" + conversationId + "/messages")))
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .header("Accept", "text/event-stream")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
              .build();
      long started = System.nanoTime();
      HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      String contentType = r.headers().firstValue("Content-Type").orElse("");
      if (!contentType.startsWith("text/event-stream")) {
        return new Stream(
            r.statusCode(),
            contentType,
            List.of(),
            new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
      }
      List<Event> events = readEvents(r.body(), started, Integer.MAX_VALUE);
      return new Stream(r.statusCode(), contentType, events, null);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens the event stream of a message without reading it, for tests that read event by event. */
  protected java.io.BufferedReader open(String conversationId, String token, Object body) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(url("/api/conversations/" + conversationId + "/messages")))
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .header("Accept", "text/event-stream")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
              .build();
      HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      return new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Blocks until the next named event arrives; null at the end of the stream. */
  public static Event nextEvent(BufferedReader reader) throws IOException {
    String name = null;
    StringBuilder data = new StringBuilder();
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (name != null) return new Event(name, data.toString(), 0);
        data.setLength(0);
      } else if (line.startsWith("event:")) {
        name = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
      }
    }
    return null;
  }

  /** Reads events as they arrive, stopping after {@code max} named events. */
  public static List<Event> readEvents(InputStream in, long startedNanos, int max)
      throws IOException {
    List<Event> events = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String name = null;
    StringBuilder data = new StringBuilder();
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (name != null) {
          events.add(
              new Event(name, data.toString(), (System.nanoTime() - startedNanos) / 1_000_000));
          if (events.size() >= max) return events;
        }
        name = null;
        data.setLength(0);
      } else if (line.startsWith("event:")) {
        name = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        if (data.length() > 0) data.append('\n');
        data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
      }
    }
    return events;
  }
}
