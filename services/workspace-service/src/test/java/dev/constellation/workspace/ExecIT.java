package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ExecIT extends DockerStack {

  @Test
  void runsInTheProjectDirectoryStartingTheWorkspaceAndReportsExitCodeAndStreams() {
    String p = project("alice", "EDITOR");
    JsonNode r = as("alice").exec(p, "pwd; echo oops >&2; exit 3");
    assertThat(r.get("exitCode").asInt()).isEqualTo(3);
    assertThat(r.get("stdout").asString()).isEqualTo("/workspace\n");
    assertThat(r.get("stderr").asString()).isEqualTo("oops\n");
    assertThat(r.get("timedOut").asBoolean()).isFalse();
  }

  @Test
  void killsACommandAtItsTimeout() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    long began = System.nanoTime();
    var r =
        api.post(
            "/api/projects/" + p + "/exec",
            Api.JSON.writeValueAsString(
                Map.of("command", "echo started; sleep 30; echo never", "timeoutSeconds", 2)));
    long tookMillis = (System.nanoTime() - began) / 1_000_000;
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("timedOut").asBoolean()).as(r.text()).isTrue();
    assertThat(r.json().get("stdout").asString()).isEqualTo("started\n");
    assertThat(tookMillis).isLessThan(15_000);
    assertThat(api.exec(p, "ps -eo args | grep '^sleep 30' || echo none").get("stdout").asString())
        .isEqualTo("none\n");
  }

  @Test
  void capsOutputAndRefusesViewers() {
    String p = project("alice", "EDITOR");
    JsonNode r = as("alice").exec(p, "head -c 3000000 /dev/zero | tr '\\0' a");
    assertThat(r.get("stdout").asString()).hasSize(1024 * 1024);
    String viewed = project("bob", "VIEWER");
    assertThat(
            as("bob").post("/api/projects/" + viewed + "/exec", "{\"command\":\"true\"}").status())
        .isEqualTo(403);
    assertThat(as("alice").post("/api/projects/" + p + "/exec", "{\"command\":\"\"}").status())
        .isEqualTo(400);
  }
}
