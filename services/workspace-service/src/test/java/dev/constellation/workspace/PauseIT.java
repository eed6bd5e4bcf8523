package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.workspace.lifecycle.IdleReaper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Pausing with the real Docker runtime: the idle reaper freezes an idle workspace but not a busy
 * one (CPU read from the engine's stats), and the next command thaws it.
 */
class PauseIT extends DockerStack {
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);

  private String container(String projectId) {
    return "constellation-" + INSTALLATION + "-" + projectId;
  }

  private boolean paused(String projectId) {
    var r = DockerSupport.run("docker", "inspect", "-f", "{{.State.Paused}}", container(projectId));
    return r.exit() == 0 && r.out().trim().equals("true");
  }

  /** The reaper's round as it would run six minutes from now (past workspace.pause.after). */
  private void reapSixMinutesLater() {
    bean(IdleReaper.class).reap(Instant.now().plus(Duration.ofMinutes(6)), IDLE_TIMEOUT);
  }

  @Test
  void theReaperPausesAnIdleWorkspaceButNotABusyOneAndAnExecResumesIt() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    assertThat(api.exec(p, "echo before > kept.txt").get("exitCode").asInt()).isZero();

    // Busy: a loop started outside the API (no activity), using a whole core.
    var loop =
        DockerSupport.run("docker", "exec", "-d", container(p), "sh", "-c", "while :; do :; done");
    assertThat(loop.exit()).as(loop.out()).isZero();
    reapSixMinutesLater();
    reapSixMinutesLater();
    assertThat(paused(p)).as("a busy workspace is not paused").isFalse();
    assertThat(api.get("/api/projects/" + p + "/workspace").json().get("status").asString())
        .isEqualTo("RUNNING");

    // The loop ends: the next rounds see (almost) no CPU since the last one, and pause it.
    DockerSupport.run("docker", "exec", container(p), "pkill", "-f", "while");
    reapSixMinutesLater();
    reapSixMinutesLater();
    assertThat(paused(p)).as("an idle workspace is paused").isTrue();
    assertThat(api.get("/api/projects/" + p + "/workspace").json().get("status").asString())
        .isEqualTo("PAUSED");

    var resumed = api.exec(p, "cat kept.txt");
    assertThat(resumed.get("exitCode").asInt()).isZero();
    assertThat(resumed.get("stdout").asString()).isEqualTo("before\n");
    assertThat(paused(p)).isFalse();
    assertThat(api.get("/api/projects/" + p + "/workspace").json().get("status").asString())
        .isEqualTo("RUNNING");
  }

  @Test
  void aPausedWorkspaceIsStoppedAtTheIdleTimeoutWithItsFilesKept() throws Exception {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    assertThat(api.exec(p, "echo kept > note.txt").get("exitCode").asInt()).isZero();
    assertThat(api.post("/api/projects/" + p + "/workspace/pause", null).status()).isEqualTo(200);
    assertThat(paused(p)).isTrue();

    bean(IdleReaper.class).reap(Instant.now().plus(Duration.ofMinutes(31)), IDLE_TIMEOUT);
    assertThat(api.get("/api/projects/" + p + "/workspace").json().get("status").asString())
        .isEqualTo("STOPPED");
    var state = DockerSupport.run("docker", "inspect", "-f", "{{.State.Status}}", container(p));
    assertThat(state.out().trim()).isEqualTo("exited");
    assertThat(java.nio.file.Files.readString(ROOT.resolve(p).resolve("note.txt")))
        .isEqualTo("kept\n");
  }
}
