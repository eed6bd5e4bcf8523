package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.Docker;
import dev.constellation.system.SystemStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A path that a filter and the router read differently used to reach internal handlers without a
 * token ({@code DELETE /internal;x/projects/<id>} answered 204 and removed the container). Every
 * spelling of {@code /internal} and {@code /admin}, at every service port and at the gateway, gets
 * a 4xx without a service token, never a 2xx, and deletes nothing.
 */
class PathVariantsIT {
  private static Api api;
  private static Api.Session owner;
  private static Api.Session user;
  private static String projectId;
  private static String conversationId;
  private static boolean docker;

  @BeforeAll
  static void aProjectWithAConversationAndARunningWorkspace() throws Exception {
    api = new Api(SystemStack.gatewayUrl());
    owner = api.register("paths-owner");
    user = nonAdmin();
    var created =
        api.send(
            "POST",
            "/api/projects",
            owner.accessToken(),
            Map.of("name", "Paths", "templateId", "blank"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    projectId = Api.json(created).path("id").asString();
    var conversation =
        api.send(
            "POST",
            "/api/projects/" + projectId + "/conversations",
            owner.accessToken(),
            Map.of("title", "keep me"));
    assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(201);
    conversationId = Api.json(conversation).path("id").asString();
    docker = Docker.available();
    if (docker) {
      var started =
          api.send(
              "POST", "/api/projects/" + projectId + "/workspace/start", owner.accessToken(), null);
      assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
      assertThat(Docker.containersOf(projectId)).isNotEmpty();
    }
  }

  /** The first account of an installation may be its administrator: take one that is not. */
  private static Api.Session nonAdmin() throws Exception {
    for (int i = 0; i < 3; i++) {
      Api.Session candidate = api.register("paths-user");
      var me = api.get("/api/admin/users", candidate.accessToken());
      if (me.statusCode() == 403) return candidate;
    }
    throw new IllegalStateException("every new account is an administrator");
  }

  /** Spellings of a path whose segment {@code word} is what a check looks for. */
  static List<String> variants(String prefix, String word, String rest) {
    String upper = word.toUpperCase();
    String encodedFirst = "%" + Integer.toHexString(word.charAt(0)) + word.substring(1);
    return List.of(
        prefix + "/" + upper + rest,
        prefix + "/" + Character.toUpperCase(word.charAt(0)) + word.substring(1) + rest,
        prefix + "/" + word + ";x" + rest,
        prefix + "/" + word + rest + ";x",
        prefix + "//" + word + rest,
        "/" + prefix + "/" + word + rest,
        prefix + "/a/../" + word + rest,
        prefix + "/./" + word + rest,
        prefix + "/a/%2e%2e/" + word + rest,
        prefix + "/%2E%2E/" + word + rest,
        prefix + "/" + word + "%2f" + rest.substring(1),
        prefix + "/" + word + "%20" + rest,
        prefix + "/" + encodedFirst + rest,
        prefix + "/" + word + rest.replaceFirst("/", "//"));
  }

  @Test
  @Checklist({"A2", "B10"})
  void internalPathsInAnySpellingAre4xxWithoutAServiceTokenAtEveryPortAndDeleteNothing()
      throws Exception {
    List<String> deletes = new ArrayList<>(variants("", "internal", "/projects/" + projectId));
    deletes.add("/internal/projects/" + projectId);
    List<String> failures = new ArrayList<>();
    for (String base : bases().values()) {
      for (String path : deletes) {
        for (String token : new String[] {null, owner.accessToken()}) {
          int status = send("DELETE", base + path, token);
          if (status < 400 || status >= 500)
            failures.add(
                "DELETE "
                    + base
                    + path
                    + (token == null ? "" : " (owner's token)")
                    + " -> "
                    + status);
        }
        String access =
            path.replace("/projects/" + projectId, "/projects/" + projectId + "/access")
                + "?userId="
                + owner.userId();
        int status = send("GET", base + access, user.accessToken());
        if (status < 400 || status >= 500) failures.add("GET " + base + access + " -> " + status);
        // The gateway's lookup of a preview's upstream address (issue 9).
        String target = path + "/ports/3000/target";
        status = send("GET", base + target, owner.accessToken());
        if (status < 400 || status >= 500) failures.add("GET " + base + target + " -> " + status);
      }
    }
    assertThat(failures).as("internal endpoints reached without a service token").isEmpty();

    // Nothing was deleted: the project, its conversation and its workspace are all still there.
    assertThat(api.get("/api/projects/" + projectId, owner.accessToken()).statusCode())
        .isEqualTo(200);
    assertThat(api.get("/api/conversations/" + conversationId, owner.accessToken()).statusCode())
        .isEqualTo(200);
    if (docker)
      assertThat(Docker.containersOf(projectId)).as("the workspace's container").isNotEmpty();
    Path workspaceLog = SystemStack.get().dataDir().resolve("logs/workspace-service.log");
    assertThat(Files.readString(workspaceLog))
        .doesNotContain("workspace " + projectId + " removed");
  }

  @Test
  @Checklist("B10")
  void adminPathsInAnySpellingGetNoOtherAnswerThanTheAdminCheck() throws Exception {
    Map<String, String> adminPaths = new LinkedHashMap<>();
    adminPaths.put(SystemStack.gatewayUrl(), "/users");
    adminPaths.put(SystemStack.serviceUrl("project-service"), "/audit");
    adminPaths.put(SystemStack.serviceUrl("claude-service"), "/usage");
    List<String> failures = new ArrayList<>();
    for (var entry : adminPaths.entrySet()) {
      String plain = "/api/admin" + entry.getValue();
      assertThat(send("GET", entry.getKey() + plain, user.accessToken()))
          .as("GET " + plain + " as a user")
          .isEqualTo(403);
      for (String path : variants("/api", "admin", entry.getValue())) {
        for (String token : new String[] {null, user.accessToken()}) {
          int status = send("GET", entry.getKey() + path, token);
          if (status < 400 || status >= 500)
            failures.add("GET " + entry.getKey() + path + " -> " + status);
        }
      }
    }
    assertThat(failures).as("admin endpoints answered a non-admin").isEmpty();
    // And through the gateway to each service's admin route.
    for (String path : List.of("/api/admin/audit", "/api/admin/usage")) {
      for (String variant : variants("/api", "admin", path.substring("/api/admin".length()))) {
        int status = send("GET", SystemStack.gatewayUrl() + variant, user.accessToken());
        assertThat(status).as("GET " + variant + " through the gateway").isBetween(400, 499);
      }
    }
  }

  @Test
  @Checklist("B10")
  void theAgentsRoutesInAnySpellingRefuseAStrangerAndChangeNothing() throws Exception {
    String project = "/" + projectId;
    String conversation = "/" + conversationId;
    // Issue 11's routes: method, the resource word, the rest of the path.
    List<String[]> routes =
        List.of(
            new String[] {"POST", "projects", project + "/checkpoints"},
            new String[] {"POST", "projects", project + "/checkpoints/0123456789abcdef/restore"},
            new String[] {"GET", "projects", project + "/files/tree"},
            new String[] {"POST", "projects", project + "/exec/stream"},
            new String[] {"POST", "projects", project + "/problems"},
            new String[] {"GET", "projects", project + "/ai/usage"},
            new String[] {"PUT", "conversations", conversation + "/permissions"},
            new String[] {"POST", "conversations", conversation + "/stop"},
            new String[] {"POST", "conversations", conversation + "/steps/s1/decision"});
    List<String> failures = new ArrayList<>();
    for (String[] route : routes) {
      String plain = "/api/" + route[1] + route[2];
      int refused = send(route[0], SystemStack.gatewayUrl() + plain, user.accessToken());
      // 403/404 for the project, or 400 where the body is checked first (exec/stream, problems).
      if (refused != 400 && refused != 403 && refused != 404)
        failures.add(route[0] + " " + plain + " as a stranger -> " + refused);
      for (String base : bases().values()) {
        for (String path : variants("/api", route[1], route[2])) {
          int status = send(route[0], base + path, user.accessToken());
          if (status < 400 || status >= 500)
            failures.add(route[0] + " " + base + path + " -> " + status);
        }
      }
    }
    assertThat(failures).as("the agent's routes answered a stranger").isEmpty();
    // Nothing happened to the project: no checkpoint taken, no permission granted.
    var checkpoints = api.get("/api/projects/" + projectId + "/checkpoints", owner.accessToken());
    assertThat(checkpoints.statusCode()).as(checkpoints.body()).isEqualTo(200);
    assertThat(Api.json(checkpoints).size()).isZero();
    var permissions =
        api.get("/api/conversations/" + conversationId + "/permissions", owner.accessToken());
    assertThat(Api.json(permissions).path("edits").asBoolean(true)).isFalse();
    assertThat(Api.json(permissions).path("commandPatterns").size()).isZero();
  }

  @Test
  @Checklist({"B10", "B63"})
  void thePauseRouteInAnySpellingRefusesAStrangerAndPausesNothing() throws Exception {
    List<String> failures = new ArrayList<>();
    String route = "/" + projectId + "/workspace/pause";
    int refused =
        send("POST", SystemStack.gatewayUrl() + "/api/projects" + route, user.accessToken());
    if (refused != 404) failures.add("POST /api/projects" + route + " as a stranger -> " + refused);
    for (String base : bases().values()) {
      for (String path : variants("/api", "projects", route)) {
        int status = send("POST", base + path, user.accessToken());
        if (status < 400 || status >= 500) failures.add("POST " + base + path + " -> " + status);
      }
    }
    assertThat(failures).as("the pause route answered a stranger").isEmpty();
    var workspace = api.get("/api/projects/" + projectId + "/workspace", owner.accessToken());
    assertThat(Api.json(workspace).path("status").asString())
        .isEqualTo(docker ? "RUNNING" : "STOPPED");
    if (docker)
      assertThat(Docker.inspect(Docker.containersOf(projectId).get(0), "{{.State.Paused}}"))
          .isEqualTo("false");
  }

  @Test
  @Checklist("B10")
  void servicesRefuseAmbiguousPathsThemselvesWithAProblem() throws Exception {
    for (String base : bases().values()) {
      HttpResponse<String> response =
          Api.HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/internal;x/projects/" + projectId))
                  .DELETE()
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(base).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type"))
          .as(base)
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
      assertThat(Api.json(response).path("type").asString())
          .as(base)
          .endsWith("/problems/ambiguous-path");
    }
  }

  private static Map<String, String> bases() {
    Map<String, String> bases = new LinkedHashMap<>();
    bases.put("gateway", SystemStack.gatewayUrl());
    for (String service : List.of("project-service", "workspace-service", "claude-service")) {
      bases.put(service, SystemStack.serviceUrl(service));
    }
    return bases;
  }

  /** The status, or -1 when no answer came in time (reported with the path, never a pass). */
  private static int send(String method, String url, String token) throws Exception {
    // HTTP/1.1 as browsers speak it to a plain-http origin (no h2c upgrade offer).
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) request.header("Authorization", "Bearer " + token);
    try {
      return Api.HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.net.http.HttpTimeoutException e) {
      return -1;
    }
  }
}
