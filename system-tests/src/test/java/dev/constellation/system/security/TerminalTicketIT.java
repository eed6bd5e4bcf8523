package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.constellation.system.Api;
import dev.constellation.system.Docker;
import dev.constellation.system.SystemStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The terminal WebSocket, the one door to a shell that carries no bearer token: its Origin must be
 * the IDE's own (refused before the upgrade, at the gateway and at workspace-service), and its
 * one-time ticket works once, for its project, within 60 s, and is never written to a log.
 */
class TerminalTicketIT {
  private static final String FORGED = "A".repeat(43);
  private static Api api;
  private static Api.Session owner;
  private static String projectId;
  private static String otherProjectId;

  @BeforeAll
  static void twoProjectsOfOneOwner() throws Exception {
    api = new Api(SystemStack.gatewayUrl());
    owner = api.register("tickets");
    projectId = create("Tickets");
    otherProjectId = create("Other tickets");
  }

  private static String create(String name) throws Exception {
    var created =
        api.send(
            "POST",
            "/api/projects",
            owner.accessToken(),
            Map.of("name", name, "templateId", "blank"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Api.json(created).path("id").asString();
  }

  /**
   * Where a browser's terminal socket can arrive: through the gateway, or at the service directly.
   */
  private static Map<String, String> doors() {
    Map<String, String> doors = new LinkedHashMap<>();
    doors.put("gateway", SystemStack.gatewayUrl());
    doors.put("workspace-service", SystemStack.serviceUrl("workspace-service"));
    return doors;
  }

  @Test
  @Checklist("B13")
  void foreignMissingOrOverriddenOriginsAreRefusedBeforeTheUpgrade() throws Exception {
    boolean docker = Docker.available();
    for (var door : doors().entrySet()) {
      String self = door.getValue();
      // With a live ticket when a runtime can issue one; a refusal must leave it unspent.
      String ticket = docker ? ticket(projectId) : FORGED;
      List<String> failures = new ArrayList<>();
      List<Map<String, String>> attempts =
          List.of(
              Map.of("Origin", "https://evil.example.net"),
              Map.of(),
              Map.of("Origin", "null"),
              Map.of("Origin", self + ".evil.example.net"),
              Map.of("Origin", "https://evil.example.net", "X-Forwarded-Host", "evil.example.net"),
              Map.of("Origin", "https://evil.example.net", "X-Original-Host", "evil.example.net"),
              Map.of(
                  "Origin", "https://evil.example.net", "X-Forwarded-Server", "evil.example.net"),
              Map.of("Origin", "https://evil.example.net", "X-Host", "evil.example.net"),
              Map.of(
                  "Origin",
                  "https://evil.example.net",
                  "Forwarded",
                  "host=evil.example.net;proto=https"));
      for (Map<String, String> headers : attempts) {
        int status = handshake(self, projectId, ticket, headers);
        if (status != 403) failures.add(door.getKey() + " " + headers + " -> " + status);
      }
      assertThat(failures).as("terminal handshakes not refused for their origin").isEmpty();
      if (docker) {
        assertThat(handshake(self, projectId, ticket, Map.of("Origin", self)))
            .as(door.getKey() + ": the unspent ticket")
            .isEqualTo(101);
      }
    }
  }

  @Test
  @Checklist("B14")
  void aTicketOpensOneTerminalOnceAndOnlyForItsProject() throws Exception {
    requireDocker();
    List<String> issued = new ArrayList<>();
    for (var door : doors().entrySet()) {
      String self = door.getValue();
      String ticket = ticket(projectId);
      issued.add(ticket);
      assertThat(handshake(self, otherProjectId, ticket, Map.of("Origin", self)))
          .as(door.getKey() + ": another project")
          .isEqualTo(401);
      if (door.getKey().equals("gateway")) {
        // The gateway only looks; the ticket is still good for its own project.
        assertThat(handshake(self, projectId, ticket, Map.of("Origin", self)))
            .as("gateway: first use")
            .isEqualTo(101);
      } else {
        assertThat(handshake(self, projectId, ticket, Map.of("Origin", self)))
            .as("workspace-service: a ticket tried on another project is spent")
            .isEqualTo(401);
        String fresh = ticket(projectId);
        issued.add(fresh);
        assertThat(handshake(self, projectId, fresh, Map.of("Origin", self)))
            .as("workspace-service: first use")
            .isEqualTo(101);
        ticket = fresh;
      }
      assertThat(handshake(self, projectId, ticket, Map.of("Origin", self)))
          .as(door.getKey() + ": second use")
          .isEqualTo(401);
    }
    assertNeverLogged(issued);
  }

  @Test
  @Checklist("B14")
  void ticketsLiveAtMostSixtySecondsAndAnExpiredOneIsRefused() throws Exception {
    requireDocker();
    List<String> issued = new ArrayList<>();
    var response =
        api.send(
            "POST", "/api/projects/" + projectId + "/terminal/ticket", owner.accessToken(), null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Api.json(response).path("expiresIn").asLong()).isBetween(1L, 60L);
    try (StackRedis redis = StackRedis.connect()) {
      for (var door : doors().entrySet()) {
        String self = door.getValue();
        String ticket = ticket(projectId);
        issued.add(ticket);
        String key = keyOf(redis, ticket);
        assertThat((Long) redis.command("PTTL", key))
            .as("lifetime in Redis, ms")
            .isBetween(1L, 60_000L);
        // Age the record past its expiry while Redis still holds it: the ticket's own clock
        // decides.
        ObjectNode record = (ObjectNode) Api.JSON.readTree((String) redis.command("GET", key));
        long issuedAt = record.path("issuedAtMillis").asLong();
        assertThat(record.path("expiresAtMillis").asLong() - issuedAt).isBetween(1L, 60_000L);
        record.put("expiresAtMillis", System.currentTimeMillis() - 1_000);
        assertThat(redis.command("SET", key, Api.JSON.writeValueAsString(record), "KEEPTTL"))
            .isEqualTo("OK");
        assertThat(handshake(self, projectId, ticket, Map.of("Origin", self)))
            .as(door.getKey() + ": expired")
            .isEqualTo(401);
      }
    }
    assertNeverLogged(issued);
  }

  private static String keyOf(StackRedis redis, String ticket) throws IOException {
    @SuppressWarnings("unchecked")
    List<Object> keys = (List<Object>) redis.command("KEYS", "*" + ticket);
    assertThat(keys).as("the ticket's key in Redis").hasSize(1);
    return (String) keys.get(0);
  }

  private static void requireDocker() {
    // The single-user local runtime issues no tickets to the several accounts of this stack.
    if (!Docker.available()) abort("no Docker engine; REQUIRE_DOCKER=1 makes this a failure");
  }

  private static String ticket(String project) throws Exception {
    var response =
        api.send(
            "POST", "/api/projects/" + project + "/terminal/ticket", owner.accessToken(), null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Api.json(response).path("ticket").asString();
  }

  /** The HTTP status of the handshake: 101 when upgraded (then closed at once). */
  private static int handshake(
      String base, String project, String ticket, Map<String, String> headers) throws Exception {
    WebSocket.Builder builder =
        Api.HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
    headers.forEach(builder::header);
    URI uri =
        URI.create(
            base.replaceFirst("^http", "ws")
                + "/api/projects/"
                + project
                + "/terminal?ticket="
                + ticket);
    try {
      WebSocket socket =
          builder.buildAsync(uri, new WebSocket.Listener() {}).get(60, TimeUnit.SECONDS);
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
      } catch (ExecutionException closedByTheServer) {
        // upgraded, then closed at once (4409 on a stopped workspace): the handshake passed
      }
      return 101;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused)
        return refused.getResponse().statusCode();
      throw e;
    }
  }

  /** A ticket is a credential: no service (nor the launcher) may have written one to its log. */
  private static void assertNeverLogged(List<String> tickets) throws IOException {
    Path data = SystemStack.get().dataDir();
    List<Path> logs;
    try (Stream<Path> walk = Files.walk(data)) {
      logs = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".log")).toList();
    }
    assertThat(logs).as("log files under " + data).isNotEmpty();
    for (Path log : logs) {
      String text = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
      for (String ticket : tickets) {
        assertThat(text)
            .as(data.relativize(log) + " must not contain a terminal ticket")
            .doesNotContain(ticket);
      }
    }
  }
}
