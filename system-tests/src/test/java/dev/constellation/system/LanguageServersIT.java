package dev.constellation.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The IDE's language servers, end to end: a ticket and a WebSocket through the gateway to a real
 * server started in a real workspace container, spoken to as Monaco's client does.
 */
class LanguageServersIT {
  private static final Duration SERVER = Duration.ofSeconds(90);

  private static final String UTIL_TS =
      "export function greet(name: string): string {\n  return 'hi ' + name;\n}\n";
  private static final String B_TS = "export function helper(): number {\n  return 1;\n}\n";
  // line 3: a type error; line 4: helper() is defined in b.ts; lines 5 and 6: a member is being
  // typed after the dot (the semicolons keep the two lines from parsing as one `util.http.`)
  private static final String MAIN_TS =
      "import * as util from './util';\n"
          + "import { helper } from './b';\n"
          + "import * as http from 'http';\n"
          + "const n: number = 'x';\n"
          + "helper();\n"
          + "util.;\n"
          + "http.;\n";
  private static final String APP_PY = "import os\n\nprint(os.getcwd(), undefined_name)\n";

  private static Api api;
  private static Api.Session owner;
  private static String projectId;

  @BeforeAll
  static void projectWithSourcesInARunningWorkspace() throws Exception {
    // The system stack registers several accounts, which the single-user local runtime refuses.
    assumeTrue(Docker.available(), "no Docker engine: language servers run in workspaces");
    api = new Api(SystemStack.gatewayUrl());
    owner = api.register("lsp");
    var created =
        api.send(
            "POST",
            "/api/projects",
            owner.accessToken(),
            Map.of("name", "Language servers", "templateId", "blank"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    projectId = Api.json(created).path("id").asString();
    save("util.ts", UTIL_TS);
    save("b.ts", B_TS);
    save("main.ts", MAIN_TS);
    save("app.py", APP_PY);
    var started =
        api.send(
            "POST", "/api/projects/" + projectId + "/workspace/start", owner.accessToken(), null);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
  }

  @AfterAll
  static void removeProject() throws Exception {
    if (projectId != null)
      api.send("DELETE", "/api/projects/" + projectId, owner.accessToken(), null);
  }

  /** Saves a file through the files API, as the editor's Save does. */
  static void save(String path, String text) throws Exception {
    HttpResponse<String> written =
        Api.HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        SystemStack.gatewayUrl()
                            + "/api/projects/"
                            + projectId
                            + "/files/content?path="
                            + path))
                .header("Authorization", "Bearer " + owner.accessToken())
                .PUT(HttpRequest.BodyPublishers.ofString(text))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
  }

  /**
   * Opens main.ts and waits for its type error. typescript-language-server answers from a
   * syntax-only tsserver until the semantic one has loaded the program (node's types make that take
   * seconds, or a minute on a loaded machine): the diagnostic says the semantic one is ready.
   */
  private static JsonNode openMain(LspClient ts) throws Exception {
    ts.didOpen("main.ts", "typescript", MAIN_TS);
    JsonNode diagnostics =
        ts.awaitDiagnostics(
            "main.ts", d -> d.toString().contains("not assignable to type 'number'"), SERVER);
    assertThat(diagnostics)
        .as("a diagnostic for the type error, got %s", ts.received())
        .isNotNull();
    return diagnostics;
  }

  @Test
  void typescriptCompletesLocalModulesAndNodeAndReportsATypeError() throws Exception {
    try (LspClient ts = LspClient.open(api, owner.accessToken(), projectId, "typescript")) {
      JsonNode capabilities = ts.initialize(SERVER).path("capabilities");
      assertThat(capabilities.has("completionProvider")).as("%s", capabilities).isTrue();
      JsonNode diagnostics = openMain(ts);
      JsonNode typeError = null;
      for (JsonNode d : diagnostics)
        if (d.path("message").asString().contains("not assignable")) typeError = d;
      assertThat(typeError.path("range").path("start").path("line").asInt()).isEqualTo(3);

      // util. (line 5) offers the local module's exports; http. (line 6) node's own API.
      assertThat(LspClient.labels(ts.at("completion", "main.ts", 5, 5, SERVER))).contains("greet");
      assertThat(LspClient.labels(ts.at("completion", "main.ts", 6, 5, SERVER)))
          .contains("createServer", "request");
    }
  }

  @Test
  void goToDefinitionLeadsToTheOtherFile() throws Exception {
    try (LspClient ts = LspClient.open(api, owner.accessToken(), projectId, "typescript")) {
      ts.initialize(SERVER);
      openMain(ts);
      JsonNode definition = ts.at("definition", "main.ts", 4, 2, SERVER);
      JsonNode first = definition.isArray() ? definition.get(0) : definition;
      String uri =
          first.has("targetUri")
              ? first.path("targetUri").asString()
              : first.path("uri").asString();
      assertThat(uri).isEqualTo("file:///workspace/b.ts");
      JsonNode range = first.has("targetRange") ? first.path("targetRange") : first.path("range");
      assertThat(range.path("start").path("line").asInt()).isEqualTo(0);
    }
  }

  @Test
  void aFileSavedThroughTheFilesApiReachesTheServer() throws Exception {
    try (LspClient ts = LspClient.open(api, owner.accessToken(), projectId, "typescript")) {
      ts.initialize(SERVER);
      openMain(ts);
      assertThat(LspClient.labels(ts.at("completion", "main.ts", 5, 5, SERVER)))
          .contains("greet")
          .doesNotContain("farewell");
      // util.ts is not open in the editor: the server reads it from the workspace's disk.
      save("util.ts", UTIL_TS + "export function farewell(): string {\n  return 'bye';\n}\n");
      List<String> labels = List.of();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int version = 2;
      while (!labels.contains("farewell") && System.nanoTime() < deadline) {
        ts.didChange("main.ts", version++, MAIN_TS);
        labels = LspClient.labels(ts.at("completion", "main.ts", 5, 5, SERVER));
        if (!labels.contains("farewell")) Thread.sleep(500);
      }
      assertThat(labels).contains("greet", "farewell");
    } finally {
      save("util.ts", UTIL_TS);
    }
  }

  @Test
  void pythonReportsAnUndefinedName() throws Exception {
    try (LspClient py = LspClient.open(api, owner.accessToken(), projectId, "python")) {
      py.initialize(SERVER);
      py.didOpen("app.py", "python", APP_PY);
      JsonNode diagnostics =
          py.awaitDiagnostics(
              "app.py", d -> d.toString().contains("undefined name 'undefined_name'"), SERVER);
      assertThat(diagnostics).as("pyflakes' undefined name, got %s", py.received()).isNotNull();
    }
  }

  @Test
  void jsonYamlCssHtmlAndMarkdownServersAnswer() throws Exception {
    for (String language : List.of("json", "yaml", "css", "html", "markdown")) {
      try (LspClient client = LspClient.open(api, owner.accessToken(), projectId, language)) {
        JsonNode result = client.initialize(SERVER);
        assertThat(result.path("capabilities").isObject()).as(language + ": " + result).isTrue();
      }
    }
  }

  @Test
  void aDocumentLargerThanTheSocketBufferReachesTheServerWhole() throws Exception {
    // 1 MiB: past the 256 KiB the container buffers per socket, under the server's 4 MiB limit;
    // it arrives in pieces, and the server must get it whole (its symbols, the last one included).
    // Through the gateway, as the browser sends it: one frame of 1 MiB (Netty's default limit
    // of 64 KiB once closed the socket there).
    String big = "{\"pad\": \"" + "x".repeat(1 << 20) + "\", \"lastKey\": 1}\n";
    try (LspClient json = LspClient.open(api, owner.accessToken(), projectId, "json")) {
      json.initialize(SERVER);
      json.didOpen("big.json", "json", big);
      var params = Api.JSON.createObjectNode();
      params.putObject("textDocument").put("uri", LspClient.uri("big.json"));
      JsonNode symbols = json.request("textDocument/documentSymbol", params, SERVER);
      assertThat(symbols.toString()).contains("\"pad\"").contains("\"lastKey\"");
    }
  }

  @Test
  void anUnknownLanguageHasNoTicketAndAStoppedWorkspaceIsNotStarted() throws Exception {
    var unknown =
        api.send(
            "POST", "/api/projects/" + projectId + "/lsp/cobol/ticket", owner.accessToken(), null);
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);

    var created =
        api.send(
            "POST",
            "/api/projects",
            owner.accessToken(),
            Map.of("name", "Stopped", "templateId", "blank"));
    String stopped = Api.json(created).path("id").asString();
    try {
      LspClient client = LspClient.create();
      String gateway = SystemStack.gatewayUrl();
      LspClient.handshake(
              gateway,
              stopped,
              "typescript",
              LspClient.ticket(api, owner.accessToken(), stopped, "typescript"),
              gateway,
              client)
          .get(60, TimeUnit.SECONDS);
      assertThat(client.closed.get(60, TimeUnit.SECONDS)).isEqualTo(4409);
      var workspace = api.get("/api/projects/" + stopped + "/workspace", owner.accessToken());
      assertThat(Api.json(workspace).path("status").asString()).isNotEqualToIgnoringCase("running");
    } finally {
      api.send("DELETE", "/api/projects/" + stopped, owner.accessToken(), null);
    }
  }
}
