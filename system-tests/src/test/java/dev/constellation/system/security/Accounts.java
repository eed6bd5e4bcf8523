package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Accounts and sign-ins on the shared system stack, as a browser or a script would make them. */
final class Accounts {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String PASSWORD = "correct horse battery staple";

  /** One sign-in of one account. */
  record Session(String userId, String email, String accessToken, String refreshToken) {}

  private Accounts() {}

  static String gateway() {
    return SystemStack.gatewayUrl();
  }

  static Session register(String name) throws Exception {
    Api.Session s = new Api(gateway()).register(name);
    return new Session(s.userId(), s.email(), s.accessToken(), s.refreshToken());
  }

  static Session login(String email, String password) throws Exception {
    var response = signInCall("/api/auth/login", Map.of("email", email, "password", password));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return session(response);
  }

  /**
   * Sign-up and sign-in share a small per-address limit, and every test of the run comes from
   * 127.0.0.1: a 429 is waited out (as its Retry-After says), within a bounded time.
   */
  static HttpResponse<String> signInCall(String path, Map<String, String> body) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      var response = send("POST", gateway() + path, null, body);
      if (response.statusCode() != 429 || System.nanoTime() > deadline) return response;
      long wait = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(2L);
      Thread.sleep(Math.min(Math.max(wait, 1), 10) * 1000);
    }
  }

  /** Signs this sign-in out (its refresh token's family), as the IDE's Sign out does. */
  static void logout(Session session) throws Exception {
    var response =
        send(
            "POST",
            gateway() + "/api/auth/logout",
            null,
            Map.of("refreshToken", session.refreshToken()));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
  }

  static HttpResponse<String> refresh(String refreshToken) throws Exception {
    return send(
        "POST", gateway() + "/api/auth/refresh", null, Map.of("refreshToken", refreshToken));
  }

  static Session session(HttpResponse<String> response) {
    JsonNode body = JSON.readTree(response.body());
    return new Session(
        body.path("user").path("id").asString(),
        body.path("user").path("email").asString(),
        body.path("accessToken").asString(),
        body.path("refreshToken").asString());
  }

  private static Session admin;

  /**
   * A real administrator, shared by the tests: a fresh account promoted in the database, then
   * refreshed, so that its token is an ordinary sign-in's (the first account of the shared stack
   * may belong to anyone).
   */
  static synchronized Session admin() throws Exception {
    if (admin == null) admin = promoted("admin");
    return admin;
  }

  /** A new account made ADMIN in the database; a refresh then issues a token that says so. */
  static Session promoted(String name) throws Exception {
    Session plain = register(name);
    setRoles(plain.userId(), List.of("USER", "ADMIN"));
    var refreshed = refresh(plain.refreshToken());
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    return session(refreshed);
  }

  static void setRoles(String userId, List<String> roles) {
    try (MongoClient mongo = MongoClients.create(SystemStack.get().mongoUri())) {
      mongo
          .getDatabase("constellation_auth")
          .getCollection("users")
          .updateOne(
              new Document("_id", userId), new Document("$set", new Document("roles", roles)));
    }
  }

  static HttpResponse<String> updateUser(Session admin, String userId, Map<String, Object> change)
      throws Exception {
    var response =
        send("PATCH", gateway() + "/api/admin/users/" + userId, admin.accessToken(), change);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  /**
   * The status a token gets at the gateway and at each service directly, on a path that any
   * signed-in user passes authentication on (the project ids are nobody's: 403/404 past it).
   */
  static Map<String, Integer> statusEverywhere(String token) throws Exception {
    Map<String, Integer> statuses = new LinkedHashMap<>();
    statuses.put("api-gateway", send("GET", gateway() + "/api/projects", token, null).statusCode());
    statuses.put(
        "project-service",
        send("GET", SystemStack.serviceUrl("project-service") + "/api/projects", token, null)
            .statusCode());
    statuses.put(
        "workspace-service",
        send(
                "GET",
                SystemStack.serviceUrl("workspace-service") + "/api/projects/p-nobody/workspace",
                token,
                null)
            .statusCode());
    statuses.put(
        "claude-service",
        send(
                "GET",
                SystemStack.serviceUrl("claude-service") + "/api/projects/p-nobody/conversations",
                token,
                null)
            .statusCode());
    return statuses;
  }

  static String createProject(Session owner, String name) throws Exception {
    var created =
        send(
            "POST",
            gateway() + "/api/projects",
            owner.accessToken(),
            Map.of("name", name, "templateId", "blank"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).path("id").asString();
  }

  /**
   * Removes the project (and its container) with an administrator's token: its owner may be gone.
   */
  static void deleteProject(Session admin, String projectId) {
    try {
      send("DELETE", gateway() + "/api/projects/" + projectId, admin.accessToken(), null);
    } catch (Exception ignored) {
      // best effort clean-up
    }
  }

  static HttpResponse<String> send(String method, String url, String token, Object body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) request.header("Authorization", "Bearer " + token);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
