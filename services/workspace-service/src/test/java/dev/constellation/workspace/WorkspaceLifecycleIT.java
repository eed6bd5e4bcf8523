package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.workspace.lifecycle.IdleReaper;
import dev.constellation.workspace.lifecycle.Reconciler;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

class WorkspaceLifecycleIT extends DockerStack {

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String containerState(String projectId) {
    var r =
        DockerSupport.run(
            "docker",
            "inspect",
            "-f",
            "{{.State.Status}}",
            "constellation-" + INSTALLATION + "-" + projectId);
    return r.exit() == 0 ? r.out().trim() : "";
  }

  @Test
  void startCreatesARunningContainerAndIsIdempotentUnderRacingRequests() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    assertThat(api.get("/api/projects/" + p + "/workspace").json().get("status").asString())
        .isEqualTo("STOPPED");

    var first =
        CompletableFuture.supplyAsync(
            () -> api.post("/api/projects/" + p + "/workspace/start", null));
    var second =
        CompletableFuture.supplyAsync(
            () -> api.post("/api/projects/" + p + "/workspace/start", null));
    assertThat(first.join().status()).as(first.join().text()).isEqualTo(200);
    assertThat(second.join().status()).as(second.join().text()).isEqualTo(200);

    var status = api.get("/api/projects/" + p + "/workspace").json();
    assertThat(status.get("status").asString()).isEqualTo("RUNNING");
    assertThat(status.get("runtime").asString()).isEqualTo("docker");
    assertThat(status.get("startedAt").isNull()).isFalse();
    assertThat(containerState(p)).isEqualTo("running");
    String containers =
        DockerSupport.run(
                "docker", "ps", "-aq", "--filter", "label=dev.constellation.project-id=" + p)
            .out()
            .trim();
    assertThat(containers.lines().count()).isEqualTo(1);
    assertThat(
            api.post("/api/projects/" + p + "/workspace/start", null)
                .json()
                .get("status")
                .asString())
        .isEqualTo("RUNNING");
  }

  @Test
  void stopKeepsFilesAndRestartBringsThemBack() throws Exception {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    assertThat(api.exec(p, "echo kept > note.txt").get("exitCode").asInt()).isZero();
    var stopped = api.post("/api/projects/" + p + "/workspace/stop", null);
    assertThat(stopped.json().get("status").asString()).isEqualTo("STOPPED");
    assertThat(containerState(p)).isEqualTo("exited");
    assertThat(Files.readString(ROOT.resolve(p).resolve("note.txt"))).isEqualTo("kept\n");
    assertThat(api.post("/api/projects/" + p + "/workspace/stop", null).status()).isEqualTo(200);
    assertThat(
            api.post("/api/projects/" + p + "/workspace/restart", null)
                .json()
                .get("status")
                .asString())
        .isEqualTo("RUNNING");
    assertThat(api.exec(p, "cat note.txt").get("stdout").asString()).isEqualTo("kept\n");
  }

  @Test
  void viewersCannotStartAndStrangersSeeNothing() {
    String p = project("alice", "VIEWER");
    assertThat(as("alice").get("/api/projects/" + p + "/workspace").status()).isEqualTo(200);
    assertThat(as("alice").post("/api/projects/" + p + "/workspace/start", null).status())
        .isEqualTo(403);
    assertThat(as("mallory").get("/api/projects/" + p + "/workspace").status()).isEqualTo(404);
    assertThat(Api.withToken(port, "nope").get("/api/projects/" + p + "/workspace").status())
        .isEqualTo(401);
    assertThat(Api.withToken(port, null).get("/api/projects/" + p + "/workspace").status())
        .isEqualTo(401);
  }

  @Test
  void idleWorkspacesStopAndActiveOnesDoNot() {
    String idle = project("alice", "EDITOR");
    String busy = project("alice", "EDITOR");
    Api api = as("alice");
    api.post("/api/projects/" + idle + "/workspace/start", null);
    api.post("/api/projects/" + busy + "/workspace/start", null);
    // Given a short idle timeout and activity on only one of them since the start...
    sleep(1500);
    api.exec(busy, "true");
    // ...when the reaper runs, only the idle one stops.
    List<String> stopped = bean(IdleReaper.class).reap(Instant.now(), Duration.ofSeconds(1));
    assertThat(stopped).contains(idle).doesNotContain(busy);
    assertThat(api.get("/api/projects/" + idle + "/workspace").json().get("status").asString())
        .isEqualTo("STOPPED");
    assertThat(containerState(idle)).isEqualTo("exited");
    assertThat(api.get("/api/projects/" + busy + "/workspace").json().get("status").asString())
        .isEqualTo("RUNNING");
  }

  @Test
  void reconcileAfterRestartAdoptsRunningMarksVanishedStoppedAndRemovesOrphans() {
    Api api = as("alice");
    String adopted = project("alice", "EDITOR");
    String vanished = project("alice", "EDITOR");
    String orphan = project("alice", "EDITOR");
    api.post("/api/projects/" + adopted + "/workspace/start", null);
    api.post("/api/projects/" + vanished + "/workspace/start", null);
    api.post("/api/projects/" + orphan + "/workspace/start", null);
    // While the service was down: one container was removed behind its back, one project's record
    // was lost.
    DockerSupport.run("docker", "rm", "-f", "constellation-" + INSTALLATION + "-" + vanished);
    bean(MongoTemplate.class).remove(Query.query(Criteria.where("_id").is(orphan)), "workspaces");
    bean(MongoTemplate.class)
        .updateFirst(
            Query.query(Criteria.where("_id").is(adopted)),
            new Update().set("status", "STOPPED"),
            "workspaces");

    // A fresh reconciler, as a restarted service would build, over a fresh Docker connection.
    var properties = bean(dev.constellation.workspace.config.WorkspaceProperties.class);
    WorkspaceRuntime runtime =
        dev.constellation.workspace.runtime.docker.DockerWorkspaceRuntime.connect(properties)
            .orElseThrow();
    Reconciler reconciler = new Reconciler(runtime, bean(MongoTemplate.class), Clock.systemUTC());
    Reconciler.Outcome outcome = reconciler.reconcile();

    assertThat(outcome.adopted()).contains(adopted);
    assertThat(outcome.markedStopped()).contains(vanished);
    assertThat(outcome.removedOrphans()).contains(orphan);
    assertThat(api.get("/api/projects/" + adopted + "/workspace").json().get("status").asString())
        .isEqualTo("RUNNING");
    assertThat(api.get("/api/projects/" + vanished + "/workspace").json().get("status").asString())
        .isEqualTo("STOPPED");
    assertThat(containerState(orphan)).isEmpty();
  }

  @Test
  void internalDeleteNeedsAServiceTokenAndRemovesContainerAndState() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    api.post("/api/projects/" + p + "/workspace/start", null);
    assertThat(Api.withToken(port, "junk").send("DELETE", "/internal/projects/" + p, null).status())
        .isEqualTo(401);
    assertThat(Api.withToken(port, null).send("DELETE", "/internal/projects/" + p, null).status())
        .isEqualTo(401);
    assertThat(api.send("DELETE", "/internal/projects/" + p, null).status()).isEqualTo(403);
    String service = JWT.signServiceToken("project-service");
    assertThat(
            Api.withToken(port, service).send("DELETE", "/internal/projects/" + p, null).status())
        .isEqualTo(204);
    assertThat(containerState(p)).isEmpty();
    assertThat(
            bean(MongoTemplate.class)
                .exists(Query.query(Criteria.where("_id").is(p)), "workspaces"))
        .isFalse();
    assertThat(
            Api.withToken(port, service).send("DELETE", "/internal/projects/" + p, null).status())
        .isEqualTo(204);
  }
}
