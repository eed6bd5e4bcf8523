package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.LocalStack;
import dev.constellation.system.SystemStack;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a stranger's code inside a workspace container can do to the rest of the installation:
 * nothing beyond its own project. Against the real stack's containers (Docker).
 */
class WorkspaceIsolationIT {

  @BeforeAll
  static void docker() {
    Workspaces.requireDocker();
    SystemStack.get();
  }

  @Test
  @Checklist({"A8", "B23"})
  void aWorkspaceReachesNeitherAnotherWorkspaceNorAnythingOnTheHost() throws Exception {
    Workspaces.Project a = Workspaces.newProject("isolation-a");
    Workspaces.Project b = Workspaces.newProject("isolation-b");
    try {
      a.start();
      b.start();
      JsonNode containerA = Workspaces.inspect(a.container());
      String nameA = containerA.path("Name").asString().replaceFirst("^/", "");
      String network = containerA.path("HostConfig").path("NetworkMode").asString();
      String ipA =
          containerA
              .path("NetworkSettings")
              .path("Networks")
              .path(network)
              .path("IPAddress")
              .asString();
      assertThat(ipA).as("workspace A's address on %s", network).isNotBlank();

      // A server in A, which A itself can reach on loopback and on its own address: the probe
      // does see an open port when there is one, so the refusals below mean something.
      a.exec(
          "setsid nohup python3 -m http.server 8080 --bind 0.0.0.0 >/dev/null 2>&1 </dev/null &");
      Map<String, Boolean> own = probe(a, List.of("127.0.0.1:8080", ipA + ":8080"), 60);
      assertThat(own)
          .as("workspace A reaches its own server")
          .containsOnly(Map.entry("127.0.0.1:8080", true), Map.entry(ipA + ":8080", true));

      List<String> targets =
          new ArrayList<>(List.of(ipA + ":8080", nameA + ":8080", "169.254.169.254:80"));
      for (String host : hostAddresses(network)) {
        for (int port : stackPorts()) targets.add(host + ":" + port);
      }
      Map<String, Boolean> reached = probe(b, targets, 1);
      assertThat(reached).as("what workspace B reaches").hasSize(targets.size());
      assertThat(
              reached.entrySet().stream()
                  .filter(Map.Entry::getValue)
                  .map(Map.Entry::getKey)
                  .toList())
          .as("open from workspace B")
          .isEmpty();

      // No Docker API inside either: no socket mounted, no engine variable.
      JsonNode docker =
          b.exec("ls -l /var/run/docker.sock /run/docker.sock 2>&1; env | grep -c DOCKER_HOST");
      assertThat(docker.path("stdout").asString()).contains("No such file").endsWith("0\n");
    } finally {
      a.delete();
      b.delete();
    }
  }

  /**
   * Tries a TCP connection from inside the workspace to every {@code host:port}, all at once;
   * retries for up to {@code attempts} rounds while any is closed (for a server still starting).
   */
  static Map<String, Boolean> probe(Workspaces.Project from, List<String> targets, int attempts)
      throws Exception {
    StringBuilder script =
        new StringBuilder(
            "p() { if timeout 2 bash -c \"exec 3<>/dev/tcp/$1/$2\" 2>/dev/null; then echo \"open $1:$2\"; else echo \"closed $1:$2\"; fi; }\n");
    for (String target : targets) {
      int colon = target.lastIndexOf(':');
      script
          .append("p ")
          .append(target, 0, colon)
          .append(' ')
          .append(target.substring(colon + 1))
          .append(" &\n");
    }
    script.append("wait\n");
    Map<String, Boolean> result = new TreeMap<>();
    Pattern line = Pattern.compile("(?m)^(open|closed) (\\S+)$");
    for (int i = 0; i < attempts; i++) {
      result.clear();
      JsonNode out = from.exec(script.toString(), 30);
      Matcher m = line.matcher(out.path("stdout").asString());
      while (m.find()) result.put(m.group(2), m.group(1).equals("open"));
      if (result.size() == targets.size() && !result.containsValue(false)) break;
      Thread.sleep(250);
    }
    return result;
  }

  /** Every IPv4 address of the host, and the workspace network's gateway address. */
  static Set<String> hostAddresses(String network) throws Exception {
    Set<String> hosts = new LinkedHashSet<>();
    hosts.add("127.0.0.1");
    String gateway =
        Workspaces.docker(
                "network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}} {{end}}", network)
            .trim();
    for (String g : gateway.split("\\s+")) if (!g.isBlank()) hosts.add(g);
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      nic.inetAddresses()
          .filter(Inet4Address.class::isInstance)
          .forEach(addr -> hosts.add(addr.getHostAddress()));
    }
    return hosts;
  }

  /**
   * The ports of everything the stack runs: the four services, the database, Redis; and Docker's
   * API ports.
   */
  static List<Integer> stackPorts() {
    LocalStack stack = SystemStack.get();
    List<Integer> ports = new ArrayList<>();
    for (var spec : LocalStack.SERVICES) ports.add(stack.port(spec));
    ports.add(URI.create(stack.mongoUri()).getPort());
    ports.add(redisPort(stack));
    ports.addAll(List.of(2375, 2376));
    return ports;
  }

  /**
   * The port of the stack's Redis, from the REDIS_URL the launcher gave its service processes
   * (children of this JVM).
   */
  static int redisPort(LocalStack stack) {
    for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
      try {
        byte[] environ =
            java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("/proc", String.valueOf(child.pid()), "environ"));
        for (String variable :
            new String(environ, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
          if (variable.startsWith("REDIS_URL="))
            return URI.create(variable.substring("REDIS_URL=".length())).getPort();
        }
      } catch (java.io.IOException gone) {
        // ended meanwhile, or not ours to read
      }
    }
    throw new IllegalStateException(
        "no service process of the stack with REDIS_URL among this JVM's children");
  }

  @Test
  @Checklist("B21")
  void everyWorkspaceContainerIsHardened() throws Exception {
    Workspaces.Project p = Workspaces.newProject("hardening");
    try {
      p.start();
      String installation =
          Workspaces.inspect(p.container())
              .path("Config")
              .path("Labels")
              .path("dev.constellation.installation")
              .asString();
      List<String> all =
          List.of(
              Workspaces.docker(
                      "ps",
                      "-q",
                      "--filter",
                      "label=dev.constellation.installation=" + installation)
                  .trim()
                  .split("\\s+"));
      assertThat(all).contains(p.container().substring(0, 12));
      for (String id : all) {
        JsonNode c = Workspaces.inspect(id);
        JsonNode host = c.path("HostConfig");
        String name = c.path("Name").asString();
        assertThat(host.path("Privileged").asBoolean()).as("%s privileged", name).isFalse();
        assertThat(host.path("CapDrop").toString()).as("%s CapDrop", name).contains("ALL");
        assertThat(host.path("CapAdd").isNull() || host.path("CapAdd").isEmpty())
            .as("%s CapAdd", name)
            .isTrue();
        assertThat(host.path("SecurityOpt").toString())
            .as("%s SecurityOpt", name)
            .contains("no-new-privileges")
            .doesNotContain("unconfined")
            .doesNotContain("seccomp");
        assertThat(host.path("ReadonlyRootfs").asBoolean()).as("%s read-only root", name).isTrue();
        assertThat(host.path("Memory").asLong()).as("%s memory limit", name).isPositive();
        assertThat(host.path("MemorySwap").asLong())
            .as("%s swap", name)
            .isEqualTo(host.path("Memory").asLong());
        assertThat(host.path("NanoCpus").asLong()).as("%s cpu limit", name).isPositive();
        assertThat(host.path("PidsLimit").asLong()).as("%s pids limit", name).isPositive();
        assertThat(c.path("Config").path("User").asString())
            .as("%s user", name)
            .isEqualTo("1000:1000");
        assertThat(host.path("PidMode").asString()).as("%s pid namespace", name).isEmpty();
        assertThat(host.path("IpcMode").asString())
            .as("%s ipc", name)
            .isIn("", "private", "shareable");
        assertThat(host.path("Devices").isNull() || host.path("Devices").isEmpty())
            .as("%s devices", name)
            .isTrue();
        // The project's directory, and read-only the installation's CA bundle
        // (WORKSPACE_CA_CERTIFICATES, set by SystemStack): nothing else of the host.
        List<String> mounts = new ArrayList<>();
        for (JsonNode m : c.path("Mounts")) {
          String destination = m.path("Destination").asString();
          if (destination.equals("/etc/constellation/ca-certificates.pem")) {
            assertThat(m.path("RW").asBoolean()).as("%s CA mount writable", name).isFalse();
            assertThat(m.path("Source").asString())
                .isEqualTo(SystemStack.dataDir().resolve("extra-ca.pem").toString());
          }
          mounts.add(destination);
        }
        assertThat(mounts)
            .as("%s mounts: %s", name, c.path("Mounts"))
            .containsExactlyInAnyOrder("/workspace", "/etc/constellation/ca-certificates.pem");
        assertThat(c.toString()).as("%s", name).doesNotContain("docker.sock");
      }
      // And as the kernel sees the shell: uid 1000, no capabilities, no new privileges, a seccomp
      // filter.
      String status =
          p.exec(
                  "id -u; grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status; "
                      + "touch /usr/x 2>/dev/null && echo root-writable; echo end")
              .path("stdout")
              .asString();
      assertThat(status)
          .startsWith("1000\n")
          .contains(
              "CapEff:\t0000000000000000",
              "CapBnd:\t0000000000000000",
              "NoNewPrivs:\t1",
              "Seccomp:\t2")
          .doesNotContain("root-writable")
          .endsWith("end\n");
    } finally {
      p.delete();
    }
  }

  @Test
  @Checklist("B24")
  void noWorkspacePortIsPublishedAndNoRouteProxiesToOne() throws Exception {
    Workspaces.Project p = Workspaces.newProject("preview");
    try {
      p.start();
      p.exec(
          "setsid nohup python3 -m http.server 8080 --bind 0.0.0.0 >/dev/null 2>&1 </dev/null &");
      assertThat(probe(p, List.of("127.0.0.1:8080"), 60)).containsEntry("127.0.0.1:8080", true);
      JsonNode c = Workspaces.inspect(p.container());
      JsonNode bindings = c.path("HostConfig").path("PortBindings");
      assertThat(bindings.isNull() || bindings.isEmpty()).as("PortBindings %s", bindings).isTrue();
      assertThat(c.path("HostConfig").path("PublishAllPorts").asBoolean()).isFalse();
      JsonNode ports = c.path("NetworkSettings").path("Ports");
      assertThat(ports.isNull() || ports.isEmpty()).as("published ports %s", ports).isTrue();
      assertThat(c.path("HostConfig").path("NetworkMode").asString())
          .isNotIn("host", "bridge", "default");
      // No route of the gateway leads to a port of the workspace, with or without the owner's
      // token.
      for (String path :
          List.of(
              "/preview/8080/", "/preview/8080", "/ports/8080/", "/proxy/8080/", "/port/8080/")) {
        for (String token : new String[] {p.owner().accessToken(), null}) {
          var response = p.api().get("/api/projects/" + p.id() + path, token);
          assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isIn(401, 404);
          assertThat(response.body()).doesNotContain("Directory listing");
        }
      }
    } finally {
      p.delete();
    }
  }

  @Test
  @Checklist("B15")
  void execAndTerminalRunAsTheWorkspaceUserWhateverTheClientAsks() throws Exception {
    Workspaces.Project p = Workspaces.newProject("params");
    try {
      var asked =
          p.api()
              .send(
                  "POST",
                  "/api/projects/" + p.id() + "/exec",
                  p.owner().accessToken(),
                  Map.of(
                      "command",
                      "id -u; id -g; pwd; echo \"[$INJECTED]\"",
                      "user",
                      "root",
                      "User",
                      "0:0",
                      "cwd",
                      "/",
                      "workingDir",
                      "/",
                      "WorkingDir",
                      "/",
                      "env",
                      Map.of("INJECTED", "yes"),
                      "Env",
                      List.of("INJECTED=yes"),
                      "privileged",
                      true));
      assertThat(asked.statusCode()).as(asked.body()).isIn(200, 400);
      if (asked.statusCode() == 200) {
        assertThat(dev.constellation.system.Api.json(asked).path("stdout").asString())
            .isEqualTo("1000\n1000\n/workspace\n[]\n");
      }
      // Becoming root from inside does not work either.
      String escalate =
          p.exec("su -c id root </dev/null 2>&1; sudo -n id 2>&1; echo end")
              .path("stdout")
              .asString();
      assertThat(escalate).doesNotContain("uid=0").endsWith("end\n");

      TerminalClient terminal = TerminalClient.open(p, true, "&user=root&cwd=/&env=INJECTED%3Dyes");
      try {
        assertThat(
                terminal.run(
                    "echo \"u=$(id -u) d=$PWD i=[$INJECTED]\"",
                    "u=1000 d=/workspace i=\\[\\]",
                    Duration.ofSeconds(30)))
            .as(terminal.clean())
            .isTrue();
      } finally {
        terminal.close();
      }
    } finally {
      p.delete();
    }
  }
}
