package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.Docker;
import dev.constellation.system.SystemStack;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;

/**
 * Users, projects and their workspaces on the shared system stack, and the docker CLI to look at
 * them.
 */
public final class Workspaces {
  private Workspaces() {}

  /** A user's project; its workspace runs once {@link #start} or an exec was called. */
  public record Project(Api api, Api.Session owner, String id) {
    public JsonNode exec(String command) throws IOException, InterruptedException {
      return exec(command, 60);
    }

    JsonNode exec(String command, int timeoutSeconds) throws IOException, InterruptedException {
      HttpResponse<String> response = execResponse(command, timeoutSeconds);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return Api.json(response);
    }

    HttpResponse<String> execResponse(String command, int timeoutSeconds)
        throws IOException, InterruptedException {
      return api.send(
          "POST",
          "/api/projects/" + id + "/exec",
          owner.accessToken(),
          Map.of("command", command, "timeoutSeconds", timeoutSeconds));
    }

    public Project start() throws IOException, InterruptedException {
      HttpResponse<String> response =
          api.send("POST", "/api/projects/" + id + "/workspace/start", owner.accessToken(), null);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return this;
    }

    /** The project's workspace container id, found by its label. */
    String container() {
      List<String> ids = Docker.containersOf(id);
      assertThat(ids).as("containers of project %s", id).hasSize(1);
      return ids.get(0);
    }

    /** Stops the workspace as its owner; fails the test unless the stop is answered 200. */
    public void stop() throws IOException, InterruptedException {
      HttpResponse<String> response =
          api.send("POST", "/api/projects/" + id + "/workspace/stop", owner.accessToken(), null);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    public void delete() throws IOException, InterruptedException {
      // Removes the container too, which otherwise outlives the stack.
      api.send("DELETE", "/api/projects/" + id, owner.accessToken(), null);
    }
  }

  /** Skips without Docker (fails instead with REQUIRE_DOCKER=1). */
  public static void requireDocker() {
    if (!Docker.available())
      Assumptions.abort("no Docker engine: workspace containers cannot be tested");
  }

  static Api api() {
    return new Api(SystemStack.gatewayUrl());
  }

  /** A new user with a new blank project. */
  public static Project newProject(String name) throws IOException, InterruptedException {
    Api api = api();
    Api.Session user = api.register(name);
    return newProject(api, user, name);
  }

  static Project newProject(Api api, Api.Session user, String name)
      throws IOException, InterruptedException {
    var created =
        api.send(
            "POST",
            "/api/projects",
            user.accessToken(),
            Map.of("name", name, "templateId", "blank"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new Project(api, user, Api.json(created).path("id").asString());
  }

  static JsonNode inspect(String container) {
    return Api.JSON.readTree(docker("inspect", container)).get(0);
  }

  /** Runs the docker CLI; fails the test when it fails. */
  static String docker(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "docker";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS))
          .as("docker %s finished", String.join(" ", args))
          .isTrue();
      assertThat(process.exitValue()).as("docker %s: %s", String.join(" ", args), out).isZero();
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
