package dev.constellation.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
    var created = api.send("POST", "/api/projects", owner.accessToken(),
        Map.of("name", "Role matrix", "templateId", "node"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    projectId = Api.json(created).path("id").asString();
    setRole(viewer, "VIEWER");
    setRole(editor, "EDITOR");
    var conversation = api.send("POST", "/api/projects/" + projectId + "/conversations", owner.accessToken(), Map.of("title", "t"));
    assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(201);
    conversationId = Api.json(conversation).path("id").asString();
  }

  private static void setRole(Api.Session member, String role) throws Exception {
    var response = api.send("PUT", "/api/projects/" + projectId + "/members/" + member.userId(),
        owner.accessToken(), Map.of("role", role));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  void viewerReadsFilesAndConversationsButCannotWriteExecOpenTerminalsOrChat() throws Exception {
    String token = viewer.accessToken();
    assertThat(status("GET", "/files?path=", token, null)).isEqualTo(200);
    assertThat(status("GET", "/files/content?path=package.json", token, null)).isEqualTo(200);
    assertThat(api.get("/api/projects/" + projectId + "/conversations", token).statusCode()).isEqualTo(200);
    assertThat(api.get("/api/conversations/" + conversationId, token).statusCode()).isEqualTo(200);

    assertThat(putFile(token, "viewer.txt")).isEqualTo(403);
    assertThat(status("POST", "/exec", token, Map.of("command", "true"))).isEqualTo(403);
    assertThat(status("POST", "/terminal/ticket", token, null)).isEqualTo(403);
    assertThat(sendMessage(token)).isEqualTo(403);
  }

  @Test
  void editorWritesFilesExecutesOpensTerminalsAndChats() throws Exception {
    String token = editor.accessToken();
    assertThat(putFile(token, "editor.txt")).isEqualTo(200);
    assertThat(status("POST", "/terminal/ticket", token, null)).isEqualTo(200);
    assertThat(sendMessage(token)).isEqualTo(200);
    // The local runtime refuses installations with several accounts; what matters here is that
    // access was granted, which a refusal for that reason still shows.
    assertThat(status("POST", "/exec", token, Map.of("command", "true"))).isNotIn(401, 403, 404);
  }

  @Test
  void nonMemberGets404EverywhereIncludingStreamsAndSockets() throws Exception {
    String token = stranger.accessToken();
    for (String path : List.of("", "/workspace", "/files?path=", "/files/content?path=package.json", "/conversations", "/export")) {
      assertThat(status("GET", path, token, null)).as("GET " + path).isEqualTo(404);
    }
    assertThat(api.get("/api/conversations/" + conversationId, token).statusCode()).isEqualTo(404);
    assertThat(putFile(token, "stranger.txt")).isEqualTo(404);
    assertThat(status("POST", "/exec", token, Map.of("command", "true"))).isEqualTo(404);
    assertThat(status("POST", "/terminal/ticket", token, null)).isEqualTo(404);
    assertThat(status("POST", "/workspace/start", token, null)).isEqualTo(404);
    assertThat(sendMessage(token)).isEqualTo(404);
    assertThat(status("POST", "/ai/edits", token, Map.of("instruction", "x"))).isEqualTo(404);

    // Without a ticket of its own the stranger cannot open the project's terminal socket.
    String ws = SystemStack.gatewayUrl().replace("http", "ws") + "/api/projects/" + projectId + "/terminal?ticket=forged";
    Throwable refused = catchThrowable(() -> Api.HTTP.newWebSocketBuilder()
        .buildAsync(URI.create(ws), new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS));
    assertThat(refused).isNotNull();
    Throwable cause = refused.getCause() instanceof CompletionException c ? c.getCause() : refused.getCause();
    assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) cause).getResponse().statusCode()).isIn(401, 403, 404);
  }

  private static int status(String method, String suffix, String token, Object body) throws Exception {
    return api.send(method, "/api/projects/" + projectId + suffix, token, body).statusCode();
  }

  private static int putFile(String token, String name) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(
            SystemStack.gatewayUrl() + "/api/projects/" + projectId + "/files/content?path=" + name))
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(30))
        .PUT(HttpRequest.BodyPublishers.ofString("hello"))
        .build();
    return Api.HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int sendMessage(String token) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(
            SystemStack.gatewayUrl() + "/api/conversations/" + conversationId + "/messages"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .header("Accept", "text/event-stream")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"hello\"}"))
        .build();
    return Api.HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
