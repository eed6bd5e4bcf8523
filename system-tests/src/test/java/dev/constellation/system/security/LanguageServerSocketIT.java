package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.LspClient;
import dev.constellation.system.SystemStack;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The language-server socket runs project code with the user's rights, so it is held to the
 * terminal's rules: the IDE's own Origin, a one-time ticket bound to its project AND its purpose (a
 * terminal ticket does not open a language server, nor one language's ticket another's, nor the
 * other way round), editors only, a bounded number per project.
 */
class LanguageServerSocketIT {
  private static Api api;
  private static Workspaces.Project project;
  private static Workspaces.Project other;

  @BeforeAll
  static void twoProjectsOfOneOwner() throws Exception {
    Workspaces.requireDocker();
    api = Workspaces.api();
    Api.Session owner = api.register("lsp-socket");
    project = Workspaces.newProject(api, owner, "Language socket");
    other = Workspaces.newProject(api, owner, "Other language socket");
  }

  private static Map<String, String> doors() {
    Map<String, String> doors = new LinkedHashMap<>();
    doors.put("gateway", SystemStack.gatewayUrl());
    doors.put("workspace-service", SystemStack.serviceUrl("workspace-service"));
    return doors;
  }

  private static String lspTicket(Workspaces.Project p, String language) throws Exception {
    return LspClient.ticket(api, p.owner().accessToken(), p.id(), language);
  }

  private static String terminalTicket(Workspaces.Project p) throws Exception {
    var response =
        api.send(
            "POST", "/api/projects/" + p.id() + "/terminal/ticket", p.owner().accessToken(), null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Api.json(response).path("ticket").asString();
  }

  @Test
  @Checklist("B36")
  void foreignOrMissingOriginsAreRefusedBeforeTheUpgrade() throws Exception {
    for (var door : doors().entrySet()) {
      String self = door.getValue();
      String ticket = lspTicket(project, "typescript");
      List<String> failures = new ArrayList<>();
      for (Map<String, String> headers :
          List.of(
              Map.of("Origin", "https://evil.example.net"),
              Map.<String, String>of(),
              Map.of("Origin", "null"),
              Map.of("Origin", self + ".evil.example.net"),
              Map.of(
                  "Origin", "https://evil.example.net", "X-Forwarded-Host", "evil.example.net"))) {
        int status = handshake(self, project.id(), "typescript", ticket, headers);
        if (status != 403) failures.add(door.getKey() + " " + headers + " -> " + status);
      }
      assertThat(failures).as("language-server handshakes not refused for their origin").isEmpty();
      // The refusals left the ticket unspent: the IDE's own origin still opens it.
      assertThat(handshake(self, project.id(), "typescript", ticket, Map.of("Origin", self)))
          .as(door.getKey() + ": the unspent ticket")
          .isEqualTo(101);
    }
  }

  @Test
  @Checklist("B37")
  void aTicketOpensOnlyTheSocketOfItsProjectAndPurpose() throws Exception {
    for (var door : doors().entrySet()) {
      String self = door.getValue();
      Map<String, String> origin = Map.of("Origin", self);
      List<String> failures = new ArrayList<>();
      // a terminal ticket on the language-server socket
      int status = handshake(self, project.id(), "typescript", terminalTicket(project), origin);
      if (status != 401) failures.add("terminal ticket -> " + status);
      // another language's ticket
      status = handshake(self, project.id(), "typescript", lspTicket(project, "python"), origin);
      if (status != 401) failures.add("python ticket on typescript -> " + status);
      // another project's ticket
      status = handshake(self, project.id(), "typescript", lspTicket(other, "typescript"), origin);
      if (status != 401) failures.add("other project's ticket -> " + status);
      // a forged one
      status = handshake(self, project.id(), "typescript", "A".repeat(43), origin);
      if (status != 401) failures.add("forged ticket -> " + status);
      // a language-server ticket on the terminal socket
      status = terminalHandshake(self, project.id(), lspTicket(project, "typescript"), origin);
      if (status != 401) failures.add("language-server ticket on a terminal -> " + status);
      assertThat(failures).as(door.getKey()).isEmpty();

      // The right ticket works, once.
      String ticket = lspTicket(project, "typescript");
      assertThat(handshake(self, project.id(), "typescript", ticket, origin)).isEqualTo(101);
      assertThat(handshake(self, project.id(), "typescript", ticket, origin))
          .as(door.getKey() + ": second use")
          .isEqualTo(401);
    }
  }

  @Test
  @Checklist("B38")
  void viewersAndStrangersGetNoServerAndTheCapHolds() throws Exception {
    Api.Session viewer = api.register("lsp-viewer");
    Api.Session stranger = api.register("lsp-stranger");
    var added =
        api.send(
            "PUT",
            "/api/projects/" + project.id() + "/members/" + viewer.userId(),
            project.owner().accessToken(),
            Map.of("role", "VIEWER"));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    String path = "/api/projects/" + project.id() + "/lsp/typescript/ticket";
    assertThat(api.send("POST", path, viewer.accessToken(), null).statusCode()).isEqualTo(403);
    assertThat(api.send("POST", path, stranger.accessToken(), null).statusCode()).isEqualTo(404);

    // At most 4 servers per project (WORKSPACE_LSP_MAX_PER_PROJECT): the fifth ticket is a 429.
    project.start();
    List<LspClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++)
        open.add(LspClient.open(api, project.owner().accessToken(), project.id(), "json"));
      // The sockets are counted once their server runs.
      for (LspClient c : open) c.initialize(Duration.ofSeconds(60));
      var refused = api.send("POST", path, project.owner().accessToken(), null);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
      assertThat(Api.json(refused).path("type").asString())
          .endsWith("/concurrent-language-servers");
    } finally {
      open.forEach(LspClient::close);
    }
    // Each socket's server ends with it: in the container no language server is left.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String left;
    do {
      left =
          project
              .exec("pgrep -fc 'vscode-json-languag[e]-server' || true")
              .path("stdout")
              .asString()
              .trim();
      if (left.equals("0")) break;
      Thread.sleep(300);
    } while (System.nanoTime() < deadline);
    assertThat(left).as("language servers left running in the workspace").isEqualTo("0");
  }

  private static int handshake(
      String base, String projectId, String language, String ticket, Map<String, String> headers)
      throws Exception {
    return upgrade(
        base.replaceFirst("^http", "ws")
            + "/api/projects/"
            + projectId
            + "/lsp/"
            + language
            + "?ticket="
            + ticket,
        headers);
  }

  private static int terminalHandshake(
      String base, String projectId, String ticket, Map<String, String> headers) throws Exception {
    return upgrade(
        base.replaceFirst("^http", "ws")
            + "/api/projects/"
            + projectId
            + "/terminal?ticket="
            + ticket,
        headers);
  }

  /** The HTTP status of the handshake: 101 when upgraded (then closed at once). */
  private static int upgrade(String uri, Map<String, String> headers) throws Exception {
    WebSocket.Builder builder =
        Api.HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
    headers.forEach(builder::header);
    try {
      WebSocket socket =
          builder
              .buildAsync(URI.create(uri), new WebSocket.Listener() {})
              .get(60, TimeUnit.SECONDS);
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
      } catch (ExecutionException closedByTheServer) {
        // upgraded, then closed at once (4409 on a stopped workspace): the handshake passed
      }
      socket.abort();
      return 101;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused)
        return refused.getResponse().statusCode();
      throw e;
    }
  }
}
