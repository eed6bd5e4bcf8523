package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WorkspaceHardeningIT extends DockerStack {

  @Test
  void dockerInspectShowsEveryIsolationSetting() {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    assertThat(api.post("/api/projects/" + p + "/workspace/start", null).status()).isEqualTo(200);
    var inspect = DockerSupport.run("docker", "inspect", "constellation-" + INSTALLATION + "-" + p);
    assertThat(inspect.exit()).as(inspect.out()).isZero();
    JsonNode c = Api.JSON.readTree(inspect.out()).get(0);
    JsonNode host = c.get("HostConfig");

    assertThat(c.get("Config").get("User").asString()).isEqualTo("1000:1000");
    assertThat(host.get("CapDrop").toString()).contains("ALL");
    assertThat(host.get("CapAdd").isNull() || host.get("CapAdd").isEmpty()).isTrue();
    assertThat(host.get("SecurityOpt").toString()).contains("no-new-privileges");
    assertThat(host.get("Privileged").asBoolean()).isFalse();
    assertThat(host.get("Memory").asLong()).isEqualTo(536870912L);
    assertThat(host.get("NanoCpus").asLong()).isEqualTo(1_000_000_000L);
    assertThat(host.get("PidsLimit").asLong()).isEqualTo(512L);
    assertThat(host.get("ReadonlyRootfs").asBoolean()).isTrue();
    assertThat(host.get("Tmpfs").has("/tmp")).isTrue();
    assertThat(host.get("Tmpfs").has("/home/dev")).isTrue();
    assertThat(host.get("Init").asBoolean()).isTrue();
    // The project's directory is the only host path inside, and no Docker socket.
    assertThat(c.get("Mounts").size()).isEqualTo(1);
    JsonNode mount = c.get("Mounts").get(0);
    assertThat(mount.get("Destination").asString()).isEqualTo("/workspace");
    assertThat(mount.get("Source").asString())
        .isEqualTo(ROOT.resolve(p).toAbsolutePath().toString());
    assertThat(inspect.out()).doesNotContain("docker.sock");
    assertThat(c.get("Config").get("Labels").get("dev.constellation.project-id").asString())
        .isEqualTo(p);
    assertThat(c.get("Config").get("Labels").get("dev.constellation.managed").asString())
        .isEqualTo("true");
    assertThat(c.get("Config").get("Labels").get("dev.constellation.installation").asString())
        .isEqualTo(INSTALLATION);

    String network = host.get("NetworkMode").asString();
    assertThat(network).isEqualTo("constellation-ws-" + INSTALLATION);
    var net = DockerSupport.run("docker", "network", "inspect", "-f", "{{.Internal}}", network);
    assertThat(net.out().trim()).isEqualTo("true");

    // And from the inside: not root, root fs read-only, /workspace, /tmp and home writable, no
    // route out.
    JsonNode inside =
        api.exec(
            p,
            "id -u; touch /etc/x 2>/dev/null && echo rootfs-writable; "
                + "touch /workspace/w /tmp/t $HOME/h && echo writable; "
                + "(timeout 3 bash -c 'echo > /dev/tcp/1.1.1.1/80' 2>/dev/null && echo egress) || echo no-egress");
    assertThat(inside.get("stdout").asString()).isEqualTo("1000\nwritable\nno-egress\n");
  }
}
