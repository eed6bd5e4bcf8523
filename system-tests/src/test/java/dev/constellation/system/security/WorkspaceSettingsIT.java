package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A project's workspace resources: owners choose image, memory and CPU within the administrator's
 * limits, the container gets them at its next start; nobody else changes them. Real Docker.
 */
class WorkspaceSettingsIT {

  @BeforeAll
  static void docker() {
    Workspaces.requireDocker();
    SystemStack.get();
  }

  @Test
  void anOwnersMemoryAndCpuReachTheContainerAtTheNextStart() throws Exception {
    Workspaces.Project p = Workspaces.newProject("settings-owner");
    try {
      p.start();
      JsonNode before = Workspaces.inspect(p.container()).path("HostConfig");
      JsonNode settings = get(p, p.owner());
      assertThat(settings.path("memoryMb").asLong() * 1024 * 1024)
          .as("the default, as the running container has it: %s", settings)
          .isEqualTo(before.path("Memory").asLong());
      assertThat(settings.path("limits").path("images").toString())
          .contains(settings.path("image").asString());

      HttpResponse<String> put = put(p, p.owner(), Map.of("memoryMb", 768, "cpus", 0.5));
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      assertThat(Api.json(put).path("memoryMb").asInt()).isEqualTo(768);
      assertThat(get(p, p.owner()).path("cpus").asDouble()).isEqualTo(0.5);
      // Applied at the next start, not to the running container.
      assertThat(Workspaces.inspect(p.container()).path("HostConfig").path("Memory").asLong())
          .isEqualTo(before.path("Memory").asLong());

      stopAndStart(p);
      JsonNode after = Workspaces.inspect(p.container()).path("HostConfig");
      assertThat(after.path("Memory").asLong()).isEqualTo(768L * 1024 * 1024);
      assertThat(after.path("MemorySwap").asLong()).isEqualTo(768L * 1024 * 1024);
      assertThat(after.path("NanoCpus").asLong()).isEqualTo(500_000_000L);
      // Still the hardened container, with the project's files.
      assertThat(after.path("ReadonlyRootfs").asBoolean()).isTrue();
      assertThat(after.path("CapDrop").toString()).contains("ALL");
      assertThat(
              p.exec(
                      "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes")
                  .path("stdout")
                  .asString()
                  .trim())
          .isEqualTo(String.valueOf(768L * 1024 * 1024));

      // Unchanged settings: the next start keeps the same container.
      String container = p.container();
      stopAndStart(p);
      assertThat(p.container()).isEqualTo(container);
    } finally {
      p.delete();
    }
  }

  @Test
  void onlyOwnersChangeThemAndOutOfRangeChangesNothing() throws Exception {
    Workspaces.Project p = Workspaces.newProject("settings-roles");
    Api api = p.api();
    Api.Session editor = api.register("settings-editor");
    Api.Session viewer = api.register("settings-viewer");
    Api.Session stranger = api.register("settings-stranger");
    for (var member : Map.of(editor, "EDITOR", viewer, "VIEWER").entrySet()) {
      var added =
          api.send(
              "PUT",
              "/api/projects/" + p.id() + "/members/" + member.getKey().userId(),
              p.owner().accessToken(),
              Map.of("role", member.getValue()));
      assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    }
    try {
      JsonNode original = get(p, p.owner());
      assertThat(get(p, viewer)).isEqualTo(original);
      assertThat(get(p, editor)).isEqualTo(original);
      assertThat(status("GET", p, stranger, null)).isIn(403, 404);

      for (Api.Session notOwner : new Api.Session[] {editor, viewer, stranger}) {
        HttpResponse<String> refused = put(p, notOwner, Map.of("memoryMb", 512));
        assertThat(refused.statusCode()).as(refused.body()).isIn(403, 404);
      }
      int max = original.path("limits").path("maxMemoryMb").asInt();
      double maxCpus = original.path("limits").path("maxCpus").asDouble();
      for (Map<String, Object> bad :
          java.util.List.<Map<String, Object>>of(
              Map.of("memoryMb", max + 1),
              Map.of("memoryMb", 16),
              Map.of("memoryMb", 512, "cpus", maxCpus + 1),
              Map.of("cpus", 0),
              Map.of("memoryMb", 512, "image", "alpine:latest"),
              Map.of("image", "constellation/workspace:local;rm -rf /"))) {
        HttpResponse<String> refused = put(p, p.owner(), bad);
        assertThat(refused.statusCode()).as("%s: %s", bad, refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type").orElse(""))
            .contains("application/problem+json");
      }
      assertThat(get(p, p.owner())).as("nothing changed").isEqualTo(original);
    } finally {
      p.delete();
    }
  }

  private static void stopAndStart(Workspaces.Project p) throws Exception {
    p.stop();
    p.start();
  }

  private static JsonNode get(Workspaces.Project p, Api.Session as) throws Exception {
    HttpResponse<String> response =
        p.api().get("/api/projects/" + p.id() + "/workspace/settings", as.accessToken());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Api.json(response);
  }

  private static HttpResponse<String> put(
      Workspaces.Project p, Api.Session as, Map<String, Object> body) throws Exception {
    return p.api()
        .send("PUT", "/api/projects/" + p.id() + "/workspace/settings", as.accessToken(), body);
  }

  private static int status(String method, Workspaces.Project p, Api.Session as, Object body)
      throws Exception {
    return p.api()
        .send(method, "/api/projects/" + p.id() + "/workspace/settings", as.accessToken(), body)
        .statusCode();
  }
}
