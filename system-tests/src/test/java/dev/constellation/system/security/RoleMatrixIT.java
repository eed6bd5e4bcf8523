package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.constellation.system.Api;
import dev.constellation.system.Docker;
import dev.constellation.system.SystemStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One authority for access, proven across services over real HTTP: project-service decides, and
 * workspace- and claude-service follow its answer for files, exec, terminals and chat.
 */
class RoleMatrixIT {
  private static Api api;
  private static Api.Session owner;
  private static Api.Session viewer;
  private static Api.Session editor;
  private static Api.Session stranger;
  private static String projectId;
  private static String conversationId;

  @BeforeAll
  static void projectWithOneMemberPerRole() throws Exception {
    api = new Api(SystemStack.gatewayUrl());
    owner = api.register("owner");
    viewer = api.register("viewer");
    editor = api.register("editor");
    stranger = api.register("stranger");
    var created =
        api.send(
            "POST",
            "/api/projects",
            owner.accessToken(),
            Map.of("name", "Role matrix", "templateId", "node"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    projectId = Api.json(created).path("id").asString();
    setRole(viewer, "VIEWER");
    setRole(editor, "EDITOR");
    var conversation =
        api.send(
            "POST",
            "/api/projects/" + projectId + "/conversations",
            owner.accessToken(),
            Map.of("title", "t"));
    assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(201);
    conversationId = Api.json(conversation).path("id").asString();
  }

  private static void setRole(Api.Session member, String role) throws Exception {
    var response =
        api.send(
            "PUT",
            "/api/projects/" + projectId + "/members/" + member.userId(),
            owner.accessToken(),
            Map.of("role", role));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  @Checklist("B8")
  void viewerReadsFilesAndConversationsButCannotWriteExecOpenTerminalsOrChat() throws Exception {
    String token = viewer.accessToken();
    assertThat(status("GET", "/files?path=", token, null)).isEqualTo(200);
    assertThat(status("GET", "/files/content?path=package.json", token, null)).isEqualTo(200);
    assertThat(api.get("/api/projects/" + projectId + "/conversations", token).statusCode())
        .isEqualTo(200);
    assertThat(api.get("/api/conversations/" + conversationId, token).statusCode()).isEqualTo(200);

    assertThat(putFile(token, "viewer.txt")).isEqualTo(403);
    assertThat(status("POST", "/exec", token, Map.of("command", "true"))).isEqualTo(403);
    assertThat(status("POST", "/terminal/ticket", token, null)).isEqualTo(403);
    // A language server runs the project's code (tsconfig and pylsp plugins): editors only.
    assertThat(status("POST", "/lsp/typescript/ticket", token, null)).isEqualTo(403);
    assertThat(sendMessage(token)).isEqualTo(403);
    // Previews are for every member; sharing one is the owners' call.
    assertThat(status("GET", "/ports", token, null)).isEqualTo(200);
    assertThat(status("POST", "/ports/3000/preview-session", token, null)).isEqualTo(200);
    assertThat(status("POST", "/ports/3000/share", token, Map.of("expiresInMinutes", 5)))
        .isEqualTo(403);
    assertThat(status("DELETE", "/ports/3000/share", token, null)).isEqualTo(403);
    // Terminal sessions and workspace settings: listed and read by every member, changed by
    // editors (sessions) and owners (settings) only.
    assertThat(status("GET", "/terminals", token, null)).isEqualTo(200);
    assertThat(status("DELETE", "/terminals/t-aaaaaaaaaaaa", token, null)).isEqualTo(403);
    assertThat(status("PATCH", "/terminals/t-aaaaaaaaaaaa", token, Map.of("title", "x")))
        .isEqualTo(403);
    assertThat(status("GET", "/workspace/settings", token, null)).isEqualTo(200);
    assertThat(status("PUT", "/workspace/settings", token, Map.of("memoryMb", 512))).isEqualTo(403);
    // Pausing is the editors' call, as stopping is (issue 12).
    assertThat(status("POST", "/workspace/pause", token, null)).isEqualTo(403);
    // Find in files reads; replace (and its undo) writes.
    assertThat(status("POST", "/search", token, Map.of("query", "project"))).isEqualTo(200);
    assertThat(status("POST", "/search/replace", token, replaceBody())).isEqualTo(403);
    assertThat(status("POST", "/search/replace/u-1/undo", token, null)).isEqualTo(403);
    // Source control: every member reads it (409 while the workspace is stopped), editors change
    // it.
    assertThat(status("GET", "/git/status", token, null)).isNotIn(401, 403, 404);
    assertThat(status("GET", "/git/log", token, null)).isNotIn(401, 403, 404);
    assertThat(status("POST", "/git/commit", token, Map.of("message", "x"))).isEqualTo(403);
    assertThat(status("POST", "/git/push", token, Map.of())).isEqualTo(403);
    assertThat(status("POST", "/git/stage", token, Map.of("paths", List.of("package.json"))))
        .isEqualTo(403);
    assertThat(status("GET", "/git/branches", token, null)).isNotIn(401, 403, 404);
    assertThat(status("GET", "/git/diff?path=package.json", token, null)).isNotIn(401, 403, 404);
    for (var change : gitChanges().entrySet())
      assertThat(status("POST", change.getKey(), token, change.getValue()))
          .as("POST " + change.getKey())
          .isEqualTo(403);
    // Downloading a folder and reading the upload limit are reads.
    assertThat(status("GET", "/files/archive?path=src", token, null)).isEqualTo(200);
    assertThat(status("GET", "/files/limits", token, null)).isEqualTo(200);
  }

  /** Every source-control change besides commit, push and stage, with a body that is valid. */
  private static Map<String, Object> gitChanges() {
    return Map.of(
        "/git/init", Map.of(),
        "/git/unstage", Map.of("paths", List.of("package.json")),
        "/git/stage-hunks", Map.of("path", "package.json", "hunks", List.of(0), "unstage", false),
        "/git/branches", Map.of("name", "feature", "checkout", false),
        "/git/checkout", Map.of("branch", "main"),
        "/git/merge", Map.of("branch", "main"),
        "/git/merge/abort", Map.of(),
        "/git/pull", Map.of());
  }

  private static Map<String, Object> replaceBody() {
    return Map.of(
        "query",
        "project",
        "replacement",
        "x",
        "files",
        List.of(Map.of("path", "README.md", "etag", "\"x\"")));
  }

  @Test
  @Checklist("B8")
  void editorWritesFilesExecutesOpensTerminalsAndChats() throws Exception {
    String token = editor.accessToken();
    assertThat(putFile(token, "editor.txt")).isEqualTo(200);
    assertThat(status("POST", "/terminal/ticket", token, null)).isEqualTo(200);
    assertThat(status("POST", "/lsp/typescript/ticket", token, null)).isEqualTo(200);
    assertThat(sendMessage(token)).isEqualTo(200);
    // The local runtime refuses installations with several accounts; what matters here is that
    // access was granted, which a refusal for that reason still shows.
    assertThat(status("POST", "/exec", token, Map.of("command", "true"))).isNotIn(401, 403, 404);
  }

  @Test
  @Checklist("B8")
  void nonMemberGets404EverywhereIncludingStreamsAndSockets() throws Exception {
    String token = stranger.accessToken();
    int messagesBefore = messageCount();
    for (String path :
        List.of(
            "",
            "/workspace",
            "/files?path=",
            "/files/content?path=package.json",
            "/conversations",
            "/export",
            "/ports",
            "/terminals",
            "/workspace/settings",
            "/workspace/events",
            "/git/status",
            "/git/log",
            "/git/branches",
            "/git/diff?path=package.json",
            "/files/archive?path=src",
            "/files/limits")) {
      assertThat(status("GET", path, token, null)).as("GET " + path).isEqualTo(404);
    }
    assertThat(api.get("/api/conversations/" + conversationId, token).statusCode()).isEqualTo(404);
    assertThat(putFile(token, "stranger.txt")).isEqualTo(404);
    assertThat(status("POST", "/exec", token, Map.of("command", "true"))).isEqualTo(404);
    assertThat(status("POST", "/terminal/ticket", token, null)).isEqualTo(404);
    assertThat(status("POST", "/lsp/typescript/ticket", token, null)).isEqualTo(404);
    assertThat(status("POST", "/workspace/start", token, null)).isEqualTo(404);
    assertThat(sendMessage(token)).isEqualTo(404);
    assertThat(status("POST", "/ai/edits", token, Map.of("instruction", "x"))).isEqualTo(404);
    assertThat(status("POST", "/ports/3000/preview-session", token, null)).isEqualTo(404);
    assertThat(status("POST", "/ports/3000/share", token, Map.of("expiresInMinutes", 5)))
        .isEqualTo(404);
    assertThat(status("DELETE", "/ports/3000/share", token, null)).isEqualTo(404);
    assertThat(status("DELETE", "/terminals/t-aaaaaaaaaaaa", token, null)).isEqualTo(404);
    assertThat(status("PATCH", "/terminals/t-aaaaaaaaaaaa", token, Map.of("title", "x")))
        .isEqualTo(404);
    assertThat(status("PUT", "/workspace/settings", token, Map.of("memoryMb", 512))).isEqualTo(404);
    assertThat(status("POST", "/search", token, Map.of("query", "project"))).isEqualTo(404);
    assertThat(status("POST", "/search/replace", token, replaceBody())).isEqualTo(404);
    assertThat(status("POST", "/search/replace/u-1/undo", token, null)).isEqualTo(404);
    assertThat(status("POST", "/git/commit", token, Map.of("message", "x"))).isEqualTo(404);
    assertThat(status("POST", "/git/push", token, Map.of())).isEqualTo(404);
    assertThat(status("POST", "/git/clone", token, Map.of("url", "https://example.com/r.git")))
        .isEqualTo(404);
    for (var change : gitChanges().entrySet())
      assertThat(status("POST", change.getKey(), token, change.getValue()))
          .as("POST " + change.getKey())
          .isEqualTo(404);

    // Without a ticket of its own the stranger cannot open the project's terminal socket.
    String ws =
        SystemStack.gatewayUrl().replace("http", "ws")
            + "/api/projects/"
            + projectId
            + "/terminal?ticket=forged";
    Throwable refused =
        catchThrowable(
            () ->
                Api.HTTP
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(ws), new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS));
    assertThat(refused).isNotNull();
    Throwable cause =
        refused.getCause() instanceof CompletionException c ? c.getCause() : refused.getCause();
    assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) cause).getResponse().statusCode())
        .isIn(401, 403, 404);

    // Destructive calls with the owner's ids: refused too, and nothing changed.
    assertThat(status("DELETE", "", token, null)).isEqualTo(404);
    assertThat(status("PATCH", "", token, Map.of("name", "taken over"))).isEqualTo(404);
    assertThat(status("PUT", "/members/" + stranger.userId(), token, Map.of("role", "OWNER")))
        .isEqualTo(404);
    assertThat(status("DELETE", "/files?path=package.json", token, null)).isEqualTo(404);
    assertThat(status("POST", "/workspace/stop", token, null)).isEqualTo(404);
    assertThat(status("POST", "/workspace/pause", token, null)).isEqualTo(404);
    assertThat(api.send("DELETE", "/api/conversations/" + conversationId, token, null).statusCode())
        .isEqualTo(404);
    String owners = owner.accessToken();
    var project = api.get("/api/projects/" + projectId, owners);
    assertThat(project.statusCode()).isEqualTo(200);
    assertThat(Api.json(project).path("name").asString()).isEqualTo("Role matrix");
    assertThat(
            api.get("/api/projects/" + projectId + "/files/content?path=stranger.txt", owners)
                .statusCode())
        .isEqualTo(404);
    assertThat(
            api.get("/api/projects/" + projectId + "/files/content?path=package.json", owners)
                .statusCode())
        .isEqualTo(200);
    assertThat(api.get("/api/conversations/" + conversationId, owners).statusCode()).isEqualTo(200);
    assertThat(messageCount()).as("messages in the owner's conversation").isEqualTo(messagesBefore);
  }

  @Test
  @Checklist("B8")
  void issue11AgentRoutesFollowTheRoleMatrix() throws Exception {
    String viewing = viewer.accessToken();
    String editing = editor.accessToken();
    String strange = stranger.accessToken();
    String conversation = "/api/conversations/" + conversationId;
    var checkpoint =
        api.send(
            "POST",
            "/api/projects/" + projectId + "/checkpoints",
            editing,
            Map.of("label", "matrix"));
    assertThat(checkpoint.statusCode()).as(checkpoint.body()).isEqualTo(201);
    String cp = "/checkpoints/" + Api.json(checkpoint).path("id").asString();
    Map<String, Object> agent = Map.of("content", "hello", "mode", "agent");
    Map<String, Object> approve = Map.of("decision", "approve");
    Map<String, Object> permissions = Map.of("edits", false, "commandPatterns", List.of());

    // Reads: every member.
    for (String read : List.of("/files/tree", "/checkpoints", cp + "/diff", "/ai/usage")) {
      assertThat(status("GET", read, viewing, null)).as("viewer GET " + read).isEqualTo(200);
      assertThat(status("GET", read, editing, null)).as("editor GET " + read).isEqualTo(200);
      assertThat(status("GET", read, strange, null)).as("stranger GET " + read).isEqualTo(404);
    }
    assertThat(api.get(conversation + "/permissions", viewing).statusCode()).isEqualTo(200);
    assertThat(api.get(conversation + "/permissions", strange).statusCode()).isEqualTo(404);

    // Writes and the agent: editors and up; viewers 403, strangers 404, before anything runs.
    Map<String, Object> writes =
        Map.of(
            "/exec/stream",
            Map.of("command", "true"),
            "/problems",
            Map.of("paths", List.of("package.json")),
            "/checkpoints",
            Map.of("label", "x"),
            cp + "/restore",
            Map.of());
    for (var write : writes.entrySet()) {
      assertThat(status("POST", write.getKey(), viewing, write.getValue()))
          .as("viewer POST " + write.getKey())
          .isEqualTo(403);
      assertThat(status("POST", write.getKey(), strange, write.getValue()))
          .as("stranger POST " + write.getKey())
          .isEqualTo(404);
    }
    Map<String, Object> conversationWrites =
        Map.of(
            "/messages", agent,
            "/steps/000000000000000000000000/decision", approve,
            "/stop", Map.of());
    for (var write : conversationWrites.entrySet()) {
      assertThat(
              api.send("POST", conversation + write.getKey(), viewing, write.getValue())
                  .statusCode())
          .as("viewer POST " + write.getKey())
          .isEqualTo(403);
      assertThat(
              api.send("POST", conversation + write.getKey(), strange, write.getValue())
                  .statusCode())
          .as("stranger POST " + write.getKey())
          .isEqualTo(404);
    }
    assertThat(api.send("PUT", conversation + "/permissions", viewing, permissions).statusCode())
        .isEqualTo(403);
    assertThat(api.send("PUT", conversation + "/permissions", strange, permissions).statusCode())
        .isEqualTo(404);

    // Editors pass the check (an unknown step is 404, a stop with no turn running is not stopped).
    assertThat(api.send("PUT", conversation + "/permissions", editing, permissions).statusCode())
        .isEqualTo(200);
    assertThat(
            api.send(
                    "POST",
                    conversation + "/steps/000000000000000000000000/decision",
                    editing,
                    approve)
                .statusCode())
        .isEqualTo(404);
    var stop = api.send("POST", conversation + "/stop", editing, Map.of());
    assertThat(stop.statusCode()).isEqualTo(202);
    assertThat(Api.json(stop).path("stopped").asBoolean()).isFalse();
    assertThat(status("POST", "/checkpoints", editing, Map.of("label", "x"))).isEqualTo(201);
    assertThat(status("POST", cp + "/restore", editing, Map.of())).isEqualTo(200);
    assertThat(status("POST", "/problems", editing, Map.of("paths", List.of("package.json"))))
        .isNotIn(401, 403, 404);
  }

  @Test
  @Checklist({"B8", "B14"})
  void aTicketForOnesOwnProjectDoesNotOpenAnotherUsersTerminal() throws Exception {
    // The single-user local runtime issues no tickets to the several accounts of this stack.
    if (!Docker.available())
      org.junit.jupiter.api.Assumptions.abort(
          "no Docker engine; REQUIRE_DOCKER=1 makes this a failure");
    var own =
        api.send(
            "POST",
            "/api/projects",
            stranger.accessToken(),
            Map.of("name", "Stranger's own", "templateId", "blank"));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
    String ownProject = Api.json(own).path("id").asString();
    try {
      var ticket =
          api.send(
              "POST",
              "/api/projects/" + ownProject + "/terminal/ticket",
              stranger.accessToken(),
              null);
      assertThat(ticket.statusCode()).as(ticket.body()).isEqualTo(200);
      String stolen = Api.json(ticket).path("ticket").asString();
      for (String base :
          List.of(SystemStack.gatewayUrl(), SystemStack.serviceUrl("workspace-service"))) {
        String ws =
            base.replaceFirst("^http", "ws")
                + "/api/projects/"
                + projectId
                + "/terminal?ticket="
                + stolen;
        Throwable refused =
            catchThrowable(
                () ->
                    Api.HTTP
                        .newWebSocketBuilder()
                        .header("Origin", base)
                        .buildAsync(URI.create(ws), new WebSocket.Listener() {})
                        .get(10, TimeUnit.SECONDS));
        Throwable cause =
            refused != null && refused.getCause() instanceof CompletionException c
                ? c.getCause()
                : refused == null ? null : refused.getCause();
        assertThat(cause).as(base).isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) cause).getResponse().statusCode())
            .as(base)
            .isIn(401, 403, 404);
      }
    } finally {
      api.send("DELETE", "/api/projects/" + ownProject, stranger.accessToken(), null);
    }
  }

  private static int messageCount() throws Exception {
    var conversation = api.get("/api/conversations/" + conversationId, owner.accessToken());
    assertThat(conversation.statusCode()).isEqualTo(200);
    return Api.json(conversation).path("messages").size();
  }

  private static int status(String method, String suffix, String token, Object body)
      throws Exception {
    return api.send(method, "/api/projects/" + projectId + suffix, token, body).statusCode();
  }

  private static int putFile(String token, String name) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    SystemStack.gatewayUrl()
                        + "/api/projects/"
                        + projectId
                        + "/files/content?path="
                        + name))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .PUT(HttpRequest.BodyPublishers.ofString("hello"))
            .build();
    return Api.HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int sendMessage(String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    SystemStack.gatewayUrl()
                        + "/api/conversations/"
                        + conversationId
                        + "/messages"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"hello\"}"))
            .build();
    return Api.HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
