package dev.constellation.workspace.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.constellation.workspace.DockerSupport;
import dev.constellation.workspace.runtime.CappedOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exec agent against a real container of the workspace image: commands run as they would as
 * engine execs (user, directory, output, exit code, timeout, their whole process tree killed), many
 * at once without mixing their output, and the agent can be killed by the user or be missing from
 * the image without a command being lost beyond the one that killed it.
 */
class ExecAgentIT {
  private static final String LABEL = "dev.constellation.test=exec-agent-it";
  private static final int UID = 1000;
  private static DockerClient docker;
  private static final List<String> containers = new ArrayList<>();

  @BeforeAll
  static void engine() {
    DockerSupport.requireDocker();
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    docker =
        DockerClientImpl.getInstance(
            config,
            new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
  }

  @AfterAll
  static void cleanUp() throws IOException {
    for (String c : containers) DockerSupport.run("docker", "rm", "-f", c);
    if (docker != null) docker.close();
  }

  @Test
  void commandsRunAsTheWorkspaceUserInTheProjectDirectoryUnderTheAgent() throws Exception {
    ExecAgents agents = new ExecAgents(docker, UID, true);
    String c = container();
    Outcome first = run(agents, c, "id -u; pwd; echo oops >&2; exit 3", 10);
    assertThat(first.exit).isEqualTo(3);
    assertThat(first.stdout).isEqualTo(UID + "\n/workspace\n");
    assertThat(first.stderr).isEqualTo("oops\n");
    // Its parent is the agent, one process for every command of the container.
    String agentOfFirst = run(agents, c, "cat /proc/$PPID/cmdline | tr '\\0' ' '", 10).stdout;
    assertThat(agentOfFirst).contains("constellation-exec-agent");
    assertThat(run(agents, c, "echo $PPID", 10).stdout)
        .isEqualTo(run(agents, c, "echo $PPID", 10).stdout);
  }

  @Test
  void manyCommandsAtOnceEachGetTheirOwnOutput() throws Exception {
    ExecAgents agents = new ExecAgents(docker, UID, true);
    String c = container();
    List<CompletableFuture<Outcome>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String n = String.valueOf(i);
      all.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return run(
                      agents, c, "for k in 1 2 3; do echo " + n + "-$k; done; exit " + n, 30);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    for (int i = 0; i < all.size(); i++) {
      Outcome o = all.get(i).get(60, TimeUnit.SECONDS);
      assertThat(o.stdout).isEqualTo(i + "-1\n" + i + "-2\n" + i + "-3\n");
      assertThat(o.exit).isEqualTo(i);
    }
  }

  @Test
  void theTimeoutAndAKillEndWhatTheCommandLeftInTheBackground() throws Exception {
    ExecAgents agents = new ExecAgents(docker, UID, true);
    String c = container();
    Outcome timedOut = run(agents, c, "setsid sleep 311 & echo started; sleep 312", 2);
    assertThat(timedOut.stdout).isEqualTo("started\n");
    assertThat(timedOut.exit).isEqualTo(137);
    assertThat(timedOut.atTimeout).isTrue();

    var out = new CappedOutput(1024);
    ContainerProcess killed =
        agents.run(
            c,
            List.of("bash", "-lc", "setsid sleep 313 & echo started; sleep 314"),
            Duration.ofSeconds(60),
            true,
            (stderr, bytes) -> out.append(bytes, 0, bytes.length));
    assertThat(killed).isNotNull();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!out.text().contains("started") && System.nanoTime() < deadline) Thread.sleep(50);
    killed.kill();
    assertThat(killed.await(Duration.ofSeconds(10))).isTrue();
    assertThat(killed.exitCode()).isEqualTo(137);
    assertThat(killed.killedAtTimeout(killed.exitCode())).isFalse();
    assertThat(run(agents, c, "ps -eo args | grep '^sleep 31' || echo none", 10).stdout)
        .isEqualTo("none\n");
  }

  @Test
  void aUserWhoKillsTheAgentLosesOnlyTheCommandsRunningThen() throws Exception {
    ExecAgents agents = new ExecAgents(docker, UID, true);
    String c = container();
    String before = run(agents, c, "echo $PPID", 10).stdout;
    var out = new CappedOutput(1024);
    ContainerProcess orphaned =
        agents.run(
            c,
            List.of("bash", "-lc", "setsid sleep 321 & sleep 322"),
            Duration.ofSeconds(120),
            true,
            (stderr, bytes) -> out.append(bytes, 0, bytes.length));
    assertThat(orphaned).isNotNull();
    DockerSupport.run(
        "docker", "exec", "-u", String.valueOf(UID), c, "pkill", "-f", "constellation-exec-agent");
    assertThat(orphaned.await(Duration.ofSeconds(10))).as("the running command ends").isTrue();
    assertThat(orphaned.exitCode()).isEqualTo(-1);
    // What it left is killed by the engine, its timer having died with the agent.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    String left;
    do {
      left =
          DockerSupport.run(
                  "docker", "exec", c, "sh", "-c", "ps -eo args | grep '^sleep 32' || echo none")
              .out();
    } while (!left.equals("none\n") && System.nanoTime() < deadline);
    assertThat(left).isEqualTo("none\n");

    Outcome after = run(agents, c, "echo $PPID; echo fine", 10);
    assertThat(after.exit).isZero();
    assertThat(after.stdout).endsWith("fine\n").isNotEqualTo(before + "fine\n");
  }

  @Test
  void withoutPython3TheContainerIsLeftToEngineExecs() throws Exception {
    ExecAgents agents = new ExecAgents(docker, UID, true);
    String c = container();
    DockerSupport.run("docker", "exec", "-u", "0", c, "sh", "-c", "rm -f /usr/bin/python3*");
    assertThat(agents.run(c, List.of("true"), Duration.ofSeconds(5), true, (stderr, bytes) -> {}))
        .isNull();
    // Not asked again for a while: the next command does not wait for another failed start.
    long began = System.nanoTime();
    assertThat(agents.run(c, List.of("true"), Duration.ofSeconds(5), true, (stderr, bytes) -> {}))
        .isNull();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isLessThan(1000);
  }

  record Outcome(int exit, String stdout, String stderr, boolean atTimeout) {}

  private static Outcome run(ExecAgents agents, String container, String script, int seconds)
      throws InterruptedException {
    var stdout = new CappedOutput(1 << 16);
    var stderr = new CappedOutput(1 << 16);
    ContainerProcess p =
        agents.run(
            container,
            List.of("bash", "-lc", script),
            Duration.ofSeconds(seconds),
            true,
            (isStderr, bytes) -> (isStderr ? stderr : stdout).append(bytes, 0, bytes.length));
    assertThat(p).as("the agent takes the command").isNotNull();
    assertThat(p.await(Duration.ofSeconds(seconds + 10))).as("it ends").isTrue();
    return new Outcome(p.exitCode(), stdout.text(), stderr.text(), p.killedAtTimeout(p.exitCode()));
  }

  private static String container() {
    var r =
        DockerSupport.run(
            "docker",
            "run",
            "-d",
            "--label",
            LABEL,
            "--tmpfs",
            "/workspace:mode=1777",
            "--entrypoint",
            "sleep",
            DockerSupport.IMAGE,
            "infinity");
    assertThat(r.exit()).as(r.out()).isZero();
    String id = r.out().trim();
    containers.add(id);
    return id;
  }
}
