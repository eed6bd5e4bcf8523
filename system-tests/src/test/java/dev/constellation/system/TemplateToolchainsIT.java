package dev.constellation.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What each template's README tells a user to run works in that template's own workspace, through
 * the exec API a terminal command also goes through, in the real workspace image (Docker). The
 * Maven build needs no registry: it runs offline from the repository warmed into the image.
 */
class TemplateToolchainsIT {
  private static Api api;
  private static Api.Session user;

  @BeforeAll
  static void stack() throws Exception {
    if (!Docker.available())
      org.junit.jupiter.api.Assumptions.abort("no Docker engine: the workspace image is not run");
    SystemStack.get();
    api = new Api(SystemStack.gatewayUrl());
    user = api.register("toolchains");
  }

  @Test
  void theNodeTemplatesReadmeCommandsWork() throws Exception {
    String project = project("node");
    try {
      assertRuns(project, "npm test", "# fail 0");
      assertRuns(project, "npx --version && node --version", "\n");
      // npm start serves on $PORT until stopped: long enough to answer one request.
      JsonNode served =
          assertRuns(
              project,
              "PORT=3123 timeout 20 npm start >/tmp/server.log 2>&1 & "
                  + "for i in $(seq 100); do curl -sf http://127.0.0.1:3123/hi && break; sleep 0.2; done; "
                  + "kill %1; cat /tmp/server.log",
              "\"message\":\"Hello from Constellation\"");
      assertThat(served.path("stdout").asString()).contains("listening on http://localhost:3123");
    } finally {
      delete(project);
    }
  }

  @Test
  void thePythonTemplatesReadmeCommandsWork() throws Exception {
    String project = project("python");
    try {
      assertRuns(project, "python -m app.greeting", "Hello, Constellation!\n");
      assertThat(run(project, "python -m unittest 2>&1", 120).path("stdout").asString())
          .contains("OK");
      assertRuns(project, "python -m pytest -q -p no:cacheprovider", "passed");
      assertRuns(
          project,
          "python -m venv .venv && .venv/bin/pip --version && .venv/bin/python -c 'import sys; print(sys.prefix)'",
          "/workspace/.venv\n");
      assertRuns(project, "pip --version", "pip ");
    } finally {
      delete(project);
    }
  }

  @Test
  void theJavaMavenTemplatesReadmeCommandsWorkWithoutARegistry() throws Exception {
    String project = project("java-maven");
    try {
      // Offline first: everything comes from the repository warmed into the image.
      assertRuns(project, "mvn -B -o -q test && echo tests-passed", "tests-passed\n");
      assertRuns(project, "mvn -B test", "BUILD SUCCESS");
      assertRuns(
          project,
          "mvn -B -o -q compile exec:java -Dexec.mainClass=app.Main",
          "Hello, Constellation!\n");
      assertRuns(
          project,
          "mvn -B -o -q package -DskipTests && java -cp target/classes app.Main",
          "Hello, Constellation!\n");
    } finally {
      delete(project);
    }
  }

  @Test
  void everyWorkspaceHasTheDevelopersTools() throws Exception {
    String project = project("blank");
    try {
      Map<String, String> tools =
          Map.of(
              "git --version", "git version",
              "rg --version", "ripgrep",
              "tmux -V", "tmux ",
              "(vim --version || vi --version) | head -1", "VIM",
              "ssh -V 2>&1", "OpenSSH",
              "curl --version", "curl ",
              "nano --version | head -1", "nano",
              "make --version | head -1", "GNU Make",
              "java -version 2>&1", "openjdk");
      for (var tool : tools.entrySet()) assertRuns(project, tool.getKey(), tool.getValue());
    } finally {
      delete(project);
    }
  }

  /** Runs {@code command}; asserts exit 0 and that stdout contains {@code expected}. */
  private static JsonNode assertRuns(String project, String command, String expected)
      throws Exception {
    JsonNode result = run(project, command, 300);
    assertThat(result.path("exitCode").asInt()).as("%s: %s", command, result).isZero();
    assertThat(result.path("stdout").asString()).as("%s: %s", command, result).contains(expected);
    return result;
  }

  private static JsonNode run(String project, String command, int timeoutSeconds)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        api.send(
            "POST",
            "/api/projects/" + project + "/exec",
            user.accessToken(),
            Map.of("command", command, "timeoutSeconds", timeoutSeconds));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Api.json(response);
  }

  private static String project(String template) throws Exception {
    var created =
        api.send(
            "POST",
            "/api/projects",
            user.accessToken(),
            Map.of("name", template + " toolchain", "templateId", template));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = Api.json(created).path("id").asString();
    var started =
        api.send("POST", "/api/projects/" + id + "/workspace/start", user.accessToken(), null);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    return id;
  }

  private static void delete(String project) throws Exception {
    api.send("DELETE", "/api/projects/" + project, user.accessToken(), null);
  }
}
