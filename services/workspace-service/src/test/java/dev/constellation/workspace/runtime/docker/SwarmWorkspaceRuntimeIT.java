package dev.constellation.workspace.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.constellation.workspace.config.OutboundProperties;
import dev.constellation.workspace.config.SwarmProperties;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.runtime.CappedOutput;
import dev.constellation.workspace.runtime.ExecResult;
import dev.constellation.workspace.runtime.TerminalListener;
import dev.constellation.workspace.runtime.TerminalProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Workspaces as Swarm services on a swarm of our own: a dockerd with its own data root, exec root,
 * socket and network namespace (as scripts/swarm-test.sh makes three of), never the main engine.
 * The workspace image is loaded into it. Needs root; skips without it or without the image, fails
 * instead under REQUIRE_DOCKER=1.
 *
 * <p>The runtime reaches that engine only through deploy/docker-api-filter (started here with
 * {@code java DockerApiFilter.java} on loopback, upstream the engine's socket, bind roots the
 * workspaces root), as the manager and as the node's engine: every assertion below is also one that
 * the filter lets the runtime do its work. {@link #theFilterRefusesWhatWouldTakeTheSwarmOrANode}
 * then sends it what a compromised workspace-service could.
 */
class SwarmWorkspaceRuntimeIT {
  private static final String IMAGE =
      System.getenv().getOrDefault("WORKSPACE_IMAGE", "constellation/workspace:local");
  private static final String RUN = "/run/cst-swarm-it";
  private static final String DATA = "/var/lib/cst-swarm-it";
  private static final String NETNS = "cst-swarm-it";
  private static final String NODE_ADDRESS = "10.216.0.1";
  private static final String SOCKET = "unix://" + RUN + "/engine.sock";
  private static final String INSTALLATION = "swarmit";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final String LABELS =
      "{\"dev.constellation.managed\":\"true\",\"dev.constellation.test\":\"filter\"}";

  private static @Nullable Process dockerd;
  private static @Nullable Process filter;
  private static String filterBase;
  private static @Nullable DockerClient engine;
  private static SwarmWorkspaceRuntime runtime;
  private static Path root;

  @BeforeAll
  static void swarm() throws Exception {
    String missing = null;
    if (!"0".equals(sh("id", "-u").out().trim())) missing = "root (network namespaces, dockerd)";
    else if (sh("docker", "image", "inspect", IMAGE).exit() != 0) missing = "the image " + IMAGE;
    else if (sh("sh", "-c", "command -v dockerd && command -v nsenter && command -v ip").exit()
        != 0) missing = "dockerd, nsenter and ip";
    if (missing != null) {
      if ("1".equals(System.getenv("REQUIRE_DOCKER")))
        throw new IllegalStateException("REQUIRE_DOCKER=1 and no " + missing);
      Assumptions.abort("needs " + missing);
    }
    teardown(); // leftovers of an interrupted run
    Files.createDirectories(Path.of(RUN));
    // Swarm (API 1.41) has no no-new-privileges per service: the engine applies it to all.
    Files.writeString(Path.of(RUN, "daemon.json"), "{\"no-new-privileges\": true}");
    check(sh("ip", "netns", "add", NETNS));
    check(sh("ip", "-n", NETNS, "link", "set", "lo", "up"));
    check(sh("ip", "-n", NETNS, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1"));
    check(sh("ip", "-n", NETNS, "addr", "add", NODE_ADDRESS + "/24", "dev", "eth0"));
    check(sh("ip", "-n", NETNS, "link", "set", "eth0", "up"));
    check(sh("ip", "-n", NETNS, "link", "set", "eth1", "up"));
    // nsenter, not `ip netns exec` (which mounts a /sys without the cgroup mounts); the engine
    // also listens on TCP in its namespace, to show a workspace cannot reach that either.
    dockerd =
        new ProcessBuilder(
                "nsenter",
                "--net=/run/netns/" + NETNS,
                "unshare",
                "--mount",
                "--uts",
                "sh",
                "-c",
                "hostname cst-swarm-it && exec dockerd --config-file "
                    + RUN
                    + "/daemon.json --data-root "
                    + DATA
                    + " --exec-root "
                    + RUN
                    + "/exec --pidfile "
                    + RUN
                    + "/engine.pid -H "
                    + SOCKET
                    + " -H tcp://"
                    + NODE_ADDRESS
                    + ":2375 --cgroup-parent /cst-swarm-it --storage-driver overlay2 --log-level warn")
            .redirectErrorStream(true)
            .redirectOutput(Path.of(RUN, "dockerd.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (dk("version").exit() != 0) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(
            "the test engine did not start: " + Files.readString(Path.of(RUN, "dockerd.log")));
      Thread.sleep(300);
    }
    check(
        dk(
            "swarm",
            "init",
            "--advertise-addr",
            NODE_ADDRESS,
            "--default-addr-pool",
            "10.217.0.0/16"));
    long t0 = System.nanoTime();
    check(sh("sh", "-c", "docker save " + IMAGE + " | docker -H " + SOCKET + " load -q"));
    System.out.printf(
        "SwarmWorkspaceRuntimeIT: %s loaded into the test engine in %d ms%n",
        IMAGE, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

    root = Files.createTempDirectory("swarm-it-workspaces");
    engine = SwarmWorkspaceRuntime.client(startFilter());
    Map<String, String> config = new java.util.HashMap<>();
    config.put("workspace.root", root.toString());
    config.put("workspace.image", IMAGE);
    config.put("workspace.installation-id", INSTALLATION);
    config.put("workspace.limits.memory-bytes", "536870912");
    WorkspaceProperties properties =
        new Binder(new MapConfigurationPropertySource(config))
            .bind("workspace", WorkspaceProperties.class)
            .get();
    SwarmProperties swarm =
        new SwarmProperties(
            null, List.of(), List.of(), Duration.ofSeconds(120), "127.0.0.1", List.of("127.0.0.1"));
    runtime = new SwarmWorkspaceRuntime(engine, properties, OutboundProperties.none(), swarm);
  }

  /** deploy/docker-api-filter in front of the test engine; its address for the runtime. */
  private static String startFilter() throws Exception {
    Path repo = Path.of("").toAbsolutePath();
    while (!Files.exists(repo.resolve("deploy/docker-api-filter/DockerApiFilter.java")))
      repo = repo.getParent();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Files.createDirectories(Path.of("target")).resolve("swarm-docker-api-filter.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                repo.resolve("deploy/docker-api-filter/DockerApiFilter.java").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("DOCKER_FILTER_LISTEN", "127.0.0.1:" + port);
    pb.environment().put("DOCKER_FILTER_UPSTREAM", SOCKET);
    pb.environment().put("DOCKER_FILTER_BIND_ROOTS", root.toString());
    filter = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline || !filter.isAlive())
          throw new IllegalStateException(
              "docker-api-filter did not start: " + Files.readString(log));
        Thread.sleep(100);
      }
    }
    filterBase = "http://127.0.0.1:" + port;
    return "tcp://127.0.0.1:" + port;
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (engine != null) engine.close();
    if (filter != null) filter.destroy();
    teardown();
    if (dockerd != null) dockerd.waitFor(30, TimeUnit.SECONDS);
    if (root != null) sh("rm", "-rf", root.toString());
  }

  @Test
  void aWorkspaceIsAHardenedServiceThatRunsCommandsTerminalsAndFiles() throws Exception {
    String p = "swarmhardened01";
    Path dir = root.resolve(p);
    List<String> phases = new ArrayList<>();
    runtime.start(p, dir, runtime_defaultSpec(), phases::add);
    assertThat(phases).containsExactly("creating", "starting");
    assertThat(runtime.isRunning(p)).isTrue();

    // What the manager holds: the service's spec.
    var inspect = dk("service", "inspect", "constellation-" + INSTALLATION + "-" + p);
    assertThat(inspect.exit()).as(inspect.out()).isZero();
    JsonNode spec = JSON.readTree(inspect.out()).get(0).get("Spec");
    JsonNode task = spec.get("TaskTemplate");
    JsonNode c = task.get("ContainerSpec");
    assertThat(c.get("User").asString()).isEqualTo("1000:1000");
    assertThat(c.get("CapabilityDrop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(c.has("CapabilityAdd")).isFalse();
    assertThat(c.get("ReadOnly").asBoolean()).isTrue();
    assertThat(c.get("Init").asBoolean()).isTrue();
    assertThat(c.get("Dir").asString()).isEqualTo("/workspace");
    assertThat(c.get("Labels").get("dev.constellation.project-id").asString()).isEqualTo(p);
    assertThat(c.get("Labels").get("dev.constellation.installation").asString())
        .isEqualTo(INSTALLATION);
    assertThat(spec.get("Labels").get("dev.constellation.managed").asString()).isEqualTo("true");
    JsonNode limits = task.get("Resources").get("Limits");
    assertThat(limits.get("MemoryBytes").asLong()).isEqualTo(536870912L);
    assertThat(limits.get("NanoCPUs").asLong()).isEqualTo(1_000_000_000L);
    assertThat(limits.get("Pids").asLong()).isEqualTo(512L);
    assertThat(spec.get("Mode").get("Replicated").get("Replicas").asInt()).isEqualTo(1);
    // The project directory is the only host path inside, and no Docker socket.
    List<String> mounts = new ArrayList<>();
    for (JsonNode m : c.get("Mounts"))
      mounts.add(
          m.get("Type").asString()
              + " "
              + m.path("Source").asString("")
              + " "
              + m.get("Target").asString());
    assertThat(mounts)
        .containsExactlyInAnyOrder(
            "bind " + dir + " /workspace",
            "volume constellation-" + INSTALLATION + "-" + p + "-tmp /tmp",
            "volume constellation-" + INSTALLATION + "-" + p + "-home /home/dev");
    assertThat(c.get("Mounts").toString()).contains("uid=1000", "nosuid", "nodev", "\"tmpfs\"");
    assertThat(inspect.out()).doesNotContain("docker.sock");
    assertThat(task.get("Networks")).hasSize(1);
    String network = task.get("Networks").get(0).get("Target").asString();
    assertThat(
            dk("network", "inspect", "-f", "{{.Driver}} {{.Internal}} {{.Attachable}}", network)
                .out()
                .trim())
        .isEqualTo("overlay true false");

    // And from the inside: not root, no capabilities, no new privileges, root fs read-only,
    // /workspace, /tmp and home writable, no route out.
    ExecResult inside =
        exec(
            p,
            "id -u; grep -E '^(CapEff|NoNewPrivs)' /proc/self/status | tr -s '\\t ' ' ';"
                + " touch /etc/x 2>/dev/null && echo rootfs-writable;"
                + " touch /workspace/w /tmp/t $HOME/h && echo writable; pwd;"
                + " (timeout 3 bash -c 'echo > /dev/tcp/1.1.1.1/80' 2>/dev/null && echo egress) || echo no-egress");
    assertThat(inside.stdout())
        .as(inside.stderr())
        .isEqualTo(
            "1000\nCapEff: 0000000000000000\nNoNewPrivs: 1\nwritable\n/workspace\nno-egress\n");

    // Files: what the service writes into the project directory is in the container, and back.
    Files.writeString(dir.resolve("hello.txt"), "from the files path\n");
    assertThat(exec(p, "cat hello.txt; echo made > made.txt").stdout())
        .isEqualTo("from the files path\n");
    assertThat(Files.readString(dir.resolve("made.txt"))).isEqualTo("made\n");
    assertThat(Files.getAttribute(dir.resolve("made.txt"), "unix:uid")).isEqualTo(1000);

    // A terminal: a tmux session on the node, typed into through an attachment.
    assertThat(runtime.createSession(p, "t-swarm0000001", "Terminal 1", 80, 24).id())
        .isEqualTo("t-swarm0000001");
    assertThat(runtime.sessions(p)).extracting(s -> s.id()).containsExactly("t-swarm0000001");
    Screen screen = new Screen();
    TerminalProcess tty = runtime.attach(p, "t-swarm0000001", 80, 24, 0, screen).orElseThrow();
    tty.write(
        "echo typed-$((6*7)) > typed.txt; echo typed-$((7*7))\r".getBytes(StandardCharsets.UTF_8));
    screen.await("typed-49");
    tty.close();
    assertThat(Files.readString(dir.resolve("typed.txt"))).isEqualTo("typed-42\n");

    // A preview: the workspace's port through this service's relay (the workspace network stays
    // unreachable from here), HTTP both ways; connections from an address not allowed get nothing.
    Files.writeString(dir.resolve("index.html"), "preview-through-the-relay\n");
    exec(p, "setsid nohup python3 -m http.server 8000 --bind 0.0.0.0 >/dev/null 2>&1 </dev/null &");
    long listening = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!runtime.listeningPorts(p).contains(8000) && System.nanoTime() < listening)
      Thread.sleep(300);
    assertThat(runtime.listeningPorts(p)).contains(8000);
    assertThat(runtime.address(p)).isEmpty();
    var target = runtime.previewTarget(p, 8000).orElseThrow();
    assertThat(target.host()).isEqualTo("127.0.0.1");
    assertThat(target.port()).isEqualTo(8000);
    assertThat(target.connectPort()).isNotNull().isNotEqualTo(8000);
    for (int i = 0; i < 2; i++) {
      try (var socket = new java.net.Socket("127.0.0.1", target.connectPort())) {
        socket.setSoTimeout(30_000);
        socket
            .getOutputStream()
            .write(
                "GET /index.html HTTP/1.0\r\nHost: localhost:8000\r\n\r\n"
                    .getBytes(StandardCharsets.UTF_8));
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.0 200").endsWith("preview-through-the-relay\n");
      }
    }

    // Pause freezes it on its node; resume thaws it, terminals and all.
    runtime.pause(p);
    assertThat(runtime.isPaused(p)).isTrue();
    runtime.start(p, dir, runtime_defaultSpec(), phase -> {});
    assertThat(runtime.isPaused(p)).isFalse();
    assertThat(exec(p, "echo thawed").stdout()).isEqualTo("thawed\n");
    assertThat(runtime.sessions(p)).hasSize(1);

    // Stop scales the service to 0: nothing runs, the files stay, a start brings it back.
    runtime.stop(p);
    assertThat(runtime.isRunning(p)).isFalse();
    assertThat(runtime.exists(p)).isTrue();
    assertThat(runtime.managedWorkspaces()).containsEntry(p, false);
    String stopped = dk("service", "inspect", "constellation-" + INSTALLATION + "-" + p).out();
    JsonNode stoppedTask = JSON.readTree(stopped).get(0).get("Spec").get("TaskTemplate");
    assertThat(stoppedTask.get("ContainerSpec").get("CapabilityDrop").toString())
        .isEqualTo("[\"ALL\"]");
    assertThat(stoppedTask.get("Resources").get("Limits").get("Pids").asLong()).isEqualTo(512L);
    runtime.start(p, dir, runtime_defaultSpec(), phase -> {});
    assertThat(exec(p, "cat made.txt").stdout()).isEqualTo("made\n");

    runtime.remove(p);
    assertThat(runtime.exists(p)).isFalse();
    assertThat(dk("network", "ls", "-q", "--filter", "name=" + network).out().trim()).isEmpty();
    assertThat(Files.readString(dir.resolve("made.txt"))).isEqualTo("made\n");
    // Its tmpfs volumes went with its container.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!dk("volume", "ls", "-q").out().isBlank() && System.nanoTime() < deadline)
      Thread.sleep(500);
    assertThat(dk("volume", "ls", "-q").out()).isBlank();
  }

  @Test
  void aWorkspaceReachesNeitherAnotherWorkspaceNorTheNodeNorTheEngine() throws Exception {
    String a = "swarmisolationa";
    String b = "swarmisolationb";
    try {
      runtime.start(a, root.resolve(a), runtime_defaultSpec(), phase -> {});
      runtime.start(b, root.resolve(b), runtime_defaultSpec(), phase -> {});
      String containerA =
          dk(
                  "ps",
                  "-q",
                  "--no-trunc",
                  "--filter",
                  "label=com.docker.swarm.service.name=constellation-" + INSTALLATION + "-" + a)
              .out()
              .trim();
      String ipA =
          dk(
                  "inspect",
                  "-f",
                  "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}",
                  containerA)
              .out()
              .trim();
      assertThat(ipA).as("workspace A's address").matches("[0-9.]+");

      // A server in A that A itself reaches: the probe does see an open port when there is one.
      exec(
          a,
          "setsid nohup python3 -m http.server 8080 --bind 0.0.0.0 >/dev/null 2>&1 </dev/null &");
      assertThat(probe(a, List.of("127.0.0.1:8080", ipA + ":8080"), 60))
          .containsOnly(Map.entry("127.0.0.1:8080", true), Map.entry(ipA + ":8080", true));

      // From B: not A, not the link-local metadata range, not the node (its engine API on 2375,
      // the swarm's ports), not the internet.
      List<String> targets =
          List.of(
              ipA + ":8080",
              "169.254.169.254:80",
              NODE_ADDRESS + ":2375",
              NODE_ADDRESS + ":2377",
              NODE_ADDRESS + ":7946",
              "1.1.1.1:80");
      Map<String, Boolean> reached = probe(b, targets, 1);
      assertThat(reached).hasSize(targets.size());
      assertThat(reached.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey))
          .as("open from workspace B")
          .isEmpty();
      assertThat(
              runtime
                  .exec(
                      b,
                      "ls -l /var/run/docker.sock /run/docker.sock 2>&1; env | grep -c DOCKER_HOST",
                      Duration.ofSeconds(30),
                      1 << 16)
                  .stdout())
          .contains("No such file")
          .endsWith("0\n");
    } finally {
      runtime.remove(a);
      runtime.remove(b);
    }
  }

  @Test
  void theFilterRefusesWhatWouldTakeTheSwarmOrANode() throws Exception {
    String net = "constellation-ws-" + INSTALLATION + "-filtertest";
    try {
      refusals(net);
    } finally {
      dk("service", "rm", "cst-unlabelled");
      dk("volume", "rm", "cst-data");
      dk("network", "rm", "cst-foreign", net);
    }
  }

  private static void refusals(String net) throws Exception {
    // A network as the runtime makes it, through the filter; then what it must refuse.
    HttpResponse<String> made =
        send(
            "POST",
            "/v1.41/networks/create",
            "{\"Name\":\""
                + net
                + "\",\"Driver\":\"overlay\",\"Internal\":true,\"Attachable\":false,\"CheckDuplicate\":true,\"Labels\":"
                + LABELS
                + "}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    Map<String, String> badNetworks = new java.util.LinkedHashMap<>();
    badNetworks.put("attachable", "\"Driver\":\"overlay\",\"Internal\":true,\"Attachable\":true");
    badNetworks.put("external", "\"Driver\":\"overlay\",\"Internal\":false");
    badNetworks.put("ingress", "\"Driver\":\"overlay\",\"Internal\":true,\"Ingress\":true");
    badNetworks.put(
        "configfrom",
        "\"Driver\":\"overlay\",\"Internal\":true,\"ConfigFrom\":{\"Network\":\"x\"}");
    badNetworks.put(
        "macvlan", "\"Driver\":\"macvlan\",\"Options\":{\"parent\":\"eth0\"},\"Internal\":true");
    badNetworks.put(
        "hostbridge",
        "\"Driver\":\"bridge\",\"Options\":{\"com.docker.network.bridge.name\":\"docker0\"}");
    int n = 0;
    for (var bad : badNetworks.entrySet()) {
      String name = "constellation-ws-" + INSTALLATION + "-bad" + n++;
      HttpResponse<String> r =
          send(
              "POST",
              "/networks/create",
              "{\"Name\":\"" + name + "\"," + bad.getValue() + ",\"Labels\":" + LABELS + "}");
      assertThat(r.statusCode()).as(bad.getKey() + ": " + r.body()).isEqualTo(403);
      assertThat(dk("network", "inspect", name).exit()).as(bad.getKey()).isNotZero();
    }
    HttpResponse<String> wrongName =
        send(
            "POST",
            "/networks/create",
            "{\"Name\":\"constellation_data\",\"Driver\":\"overlay\",\"Internal\":true,\"Labels\":"
                + LABELS
                + "}");
    assertThat(wrongName.statusCode()).isEqualTo(403);
    HttpResponse<String> unlabelledNet =
        send(
            "POST",
            "/networks/create",
            "{\"Name\":\"" + net + "-x\",\"Driver\":\"overlay\",\"Internal\":true}");
    assertThat(unlabelledNet.statusCode()).isEqualTo(403);
    assertThat(dk("network", "inspect", "constellation_data").exit()).isNotZero();
    assertThat(dk("network", "inspect", net + "-x").exit()).isNotZero();
    // Docker mode's bridge network still passes.
    HttpResponse<String> bridge =
        send(
            "POST",
            "/networks/create",
            "{\"Name\":\"cst-filter-bridge\",\"Driver\":\"bridge\",\"Internal\":true,\"Options\":{"
                + "\"com.docker.network.bridge.enable_icc\":\"false\",\"com.docker.network.bridge.name\":\"cw0filtertest\","
                + "\"com.docker.network.bridge.inhibit_ipv4\":\"true\"},\"Labels\":"
                + LABELS
                + "}");
    assertThat(bridge.statusCode()).as(bridge.body()).isEqualTo(201);
    assertThat(send("DELETE", "/networks/cst-filter-bridge", null).statusCode()).isEqualTo(204);
    check(dk("network", "create", "-d", "overlay", "--internal", "cst-foreign"));
    assertThat(send("DELETE", "/networks/cst-foreign", null).statusCode()).isEqualTo(403);
    assertThat(dk("network", "inspect", "cst-foreign").exit()).isZero();

    // A service as the runtime makes it passes: the refusals below are the attack's, not the rest.
    String ok = "constellation-" + INSTALLATION + "-filterok";
    HttpResponse<String> created =
        send("POST", "/services/create", service(ok, net, LABELS, "", ""));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(send("GET", "/services/" + ok, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/services/constellation-nothing-here", null).statusCode())
        .isEqualTo(404);
    assertThat(send("DELETE", "/services/" + ok, null).statusCode()).isEqualTo(200);
    assertThat(dk("service", "inspect", ok).exit()).isNotZero();

    String bind = root.resolve("filtertest01").toString();
    Map<String, String> attacks = new java.util.LinkedHashMap<>();
    attacks.put("no label", service("%s", net, "{\"dev.constellation.test\":\"filter\"}", "", ""));
    attacks.put(
        "CapabilityAdd", service("%s", net, LABELS, ",\"CapabilityAdd\":[\"CAP_SYS_ADMIN\"]", ""));
    attacks.put(
        "capabilityadd, lower case",
        service("%s", net, LABELS, ",\"capabilityadd\":[\"CAP_SYS_ADMIN\"]", ""));
    attacks.put(
        "Sysctls", service("%s", net, LABELS, ",\"Sysctls\":{\"kernel.shmmax\":\"1\"}", ""));
    attacks.put(
        "Secrets",
        service("%s", net, LABELS, ",\"Secrets\":[{\"SecretName\":\"jwt_secret\"}]", ""));
    attacks.put(
        "unconfined seccomp",
        service("%s", net, LABELS, ",\"Privileges\":{\"Seccomp\":{\"Mode\":\"unconfined\"}}", ""));
    attacks.put("bind of /", service("%s", net, LABELS, "", "").replace(bind, "/"));
    attacks.put(
        "bind beside the roots",
        service("%s", net, LABELS, "", "").replace(bind, root + "/filtertest01/../../etc"));
    attacks.put(
        "local volume o=bind,device=/",
        service("%s", net, LABELS, "", "")
            .replace(
                "{\"type\":\"tmpfs\",\"device\":\"tmpfs\",\"o\":\"rw,nosuid,nodev,size=1048576,uid=1000,gid=1000,mode=1777\"}",
                "{\"type\":\"none\",\"device\":\"/\",\"o\":\"bind\"}"));
    attacks.put(
        "tmpfs volume with o=bind",
        service("%s", net, LABELS, "", "").replace("\"o\":\"rw,nosuid", "\"o\":\"bind,rw,nosuid"));
    attacks.put(
        "another driver",
        service("%s", net, LABELS, "", "")
            .replace("\"Name\":\"local\"", "\"Name\":\"vieux/sshfs\""));
    attacks.put(
        "another volume (a database's)",
        service("%s", net, LABELS, "", "").replace("-tmp\"", "x-db-data\""));
    attacks.put(
        "npipe mount",
        service("%s", net, LABELS, "", "")
            .replace(
                "\"Mounts\":[",
                "\"Mounts\":[{\"Type\":\"npipe\",\"Source\":\"x\",\"Target\":\"/x\"},"));
    attacks.put(
        "published ports",
        service(
            "%s",
            net,
            LABELS,
            "",
            "",
            ",\"EndpointSpec\":{\"Ports\":[{\"Protocol\":\"tcp\",\"TargetPort\":22,\"PublishedPort\":2222}]}"));
    attacks.put(
        "plugin runtime",
        service(
            "%s",
            net,
            LABELS,
            "",
            ",\"Runtime\":\"plugin\",\"PluginSpec\":{\"Name\":\"evil/plugin\",\"Remote\":\"evil/plugin\"}"));
    attacks.put(
        "NetworkAttachmentSpec",
        service("%s", net, LABELS, "", ",\"NetworkAttachmentSpec\":{\"ContainerID\":\"x\"}"));
    attacks.put("ingress network", service("%s", "ingress", LABELS, "", ""));
    attacks.put("someone else's network", service("%s", "cst-foreign", LABELS, "", ""));
    attacks.put(
        "global mode",
        service("%s", net, LABELS, "", "")
            .replace("\"Replicated\":{\"Replicas\":0}", "\"Global\":{}"));
    n = 0;
    for (var attack : attacks.entrySet()) {
      String name = "constellation-" + INSTALLATION + "-attack" + n++;
      HttpResponse<String> r =
          send("POST", "/v1.41/services/create", attack.getValue().replace("%s", name));
      assertThat(r.statusCode()).as(attack.getKey() + ": " + r.body()).isEqualTo(403);
      assertThat(r.body()).contains("docker-api-filter");
      assertThat(dk("service", "inspect", name).exit()).as(attack.getKey()).isNotZero();
    }
    assertThat(dk("service", "ls", "--format", "{{.Name}}").out()).doesNotContain("attack");

    // A service that is not ours (the gateway, the database): neither updated nor removed.
    String theirs = "cst-unlabelled";
    check(
        dk(
            "service",
            "create",
            "--detach",
            "--name",
            theirs,
            "--replicas",
            "0",
            IMAGE,
            "sleep",
            "1"));
    String version = dk("service", "inspect", "-f", "{{.Version.Index}}", theirs).out().trim();
    HttpResponse<String> update =
        send(
            "POST",
            "/v1.41/services/" + theirs + "/update?version=" + version,
            service("constellation-" + INSTALLATION + "-filterok", net, LABELS, "", ""));
    assertThat(update.statusCode()).as(update.body()).isEqualTo(403);
    assertThat(send("DELETE", "/services/" + theirs, null).statusCode()).isEqualTo(403);
    assertThat(dk("service", "inspect", "-f", "{{.Version.Index}}", theirs).out().trim())
        .isEqualTo(version);

    // Nodes are read, never changed; the swarm itself, its secrets and plugins are out of reach.
    String node = dk("info", "-f", "{{.Swarm.NodeID}}").out().trim();
    String nodeVersion = dk("node", "inspect", "-f", "{{.Version.Index}}", node).out().trim();
    assertThat(send("GET", "/nodes", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/nodes/" + node, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/tasks", null).statusCode()).isEqualTo(200);
    assertThat(
            send(
                    "POST",
                    "/v1.41/nodes/" + node + "/update?version=" + nodeVersion,
                    "{\"Availability\":\"drain\",\"Role\":\"manager\",\"Labels\":{\"constellation.data\":\"true\"}}")
                .statusCode())
        .isEqualTo(403);
    assertThat(send("DELETE", "/nodes/" + node + "?force=true", null).statusCode()).isEqualTo(403);
    assertThat(
            dk("node", "inspect", "-f", "{{.Version.Index}} {{.Spec.Availability}}", node)
                .out()
                .trim())
        .isEqualTo(nodeVersion + " active");
    assertThat(send("POST", "/v1.41/swarm/leave?force=true", "").statusCode()).isEqualTo(403);
    assertThat(send("GET", "/swarm", null).statusCode()).as("join tokens").isEqualTo(403);
    assertThat(send("POST", "/swarm/init", "{}").statusCode()).isEqualTo(403);
    assertThat(send("POST", "/secrets/create", "{\"Name\":\"x\",\"Data\":\"eA==\"}").statusCode())
        .isEqualTo(403);
    assertThat(send("GET", "/secrets", null).statusCode()).isEqualTo(403);
    assertThat(send("POST", "/plugins/pull?remote=evil/plugin", "[]").statusCode()).isEqualTo(403);
    assertThat(dk("info", "-f", "{{.Swarm.LocalNodeState}}").out().trim()).isEqualTo("active");
    assertThat(dk("secret", "ls", "-q").out()).isBlank();
    // Volumes: none made directly (a local volume is a bind in disguise), none of others removed.
    HttpResponse<String> volume =
        send(
            "POST",
            "/volumes/create",
            "{\"Name\":\"cst-disguised\",\"Driver\":\"local\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/\"}}");
    assertThat(volume.statusCode()).isEqualTo(403);
    assertThat(dk("volume", "inspect", "cst-disguised").exit()).isNotZero();
    check(dk("volume", "create", "cst-data"));
    assertThat(send("DELETE", "/volumes/cst-data", null).statusCode()).isEqualTo(403);
    assertThat(dk("volume", "inspect", "cst-data").exit()).isZero();
    assertThat(send("DELETE", "/volumes/cst-never-was", null).statusCode()).isEqualTo(404);
  }

  /** A service spec as SwarmWorkspaceRuntime sends it, with extras in its parts. */
  private static String service(
      String name, String network, String labels, String containerExtra, String taskExtra) {
    return service(name, network, labels, containerExtra, taskExtra, "");
  }

  private static String service(
      String name,
      String network,
      String labels,
      String containerExtra,
      String taskExtra,
      String serviceExtra) {
    String tmpfs = "rw,nosuid,nodev,size=1048576,uid=1000,gid=1000,mode=1777";
    return "{\"Name\":\""
        + name
        + "\",\"Labels\":"
        + labels
        + ",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\""
        + IMAGE
        + "\",\"Labels\":"
        + LABELS
        + ",\"User\":\"1000:1000\",\"Dir\":\"/workspace\",\"Command\":[\"sleep\",\"infinity\"],"
        + "\"CapabilityDrop\":[\"ALL\"],\"ReadOnly\":true,\"Init\":true,\"Mounts\":[{\"Type\":\"bind\",\"Source\":\""
        + root.resolve("filtertest01")
        + "\",\"Target\":\"/workspace\"},{\"Type\":\"volume\",\"Source\":\""
        + name
        + "-tmp\",\"Target\":\"/tmp\",\"VolumeOptions\":{\"Labels\":"
        + LABELS
        + ",\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"type\":\"tmpfs\",\"device\":\"tmpfs\",\"o\":\""
        + tmpfs
        + "\"}}}}]"
        + containerExtra
        + "},\"Resources\":{\"Limits\":{\"MemoryBytes\":268435456,\"NanoCPUs\":500000000,\"Pids\":512}},"
        + "\"RestartPolicy\":{\"Condition\":\"any\",\"Delay\":1000000000},\"Networks\":[{\"Target\":\""
        + network
        + "\"}]"
        + taskExtra
        + "},\"Mode\":{\"Replicated\":{\"Replicas\":0}}"
        + serviceExtra
        + "}";
  }

  private static HttpResponse<String> send(String method, String path, @Nullable String json)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(filterBase + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static dev.constellation.workspace.runtime.ContainerSpec runtime_defaultSpec() {
    return new dev.constellation.workspace.runtime.ContainerSpec(IMAGE, 512, 1.0);
  }

  private static ExecResult exec(String projectId, String command) {
    ExecResult result = runtime.exec(projectId, command, Duration.ofSeconds(30), 1 << 16);
    assertThat(result.exitCode()).as("%s: %s", command, result.stderr()).isZero();
    return result;
  }

  /** TCP connections from inside the workspace to each target, retried while any is closed. */
  private static Map<String, Boolean> probe(String from, List<String> targets, int attempts)
      throws InterruptedException {
    StringBuilder script =
        new StringBuilder(
            "p() { if timeout 2 bash -c \"exec 3<>/dev/tcp/$1/$2\" 2>/dev/null; then echo \"open $1:$2\"; else echo \"closed $1:$2\"; fi; }\n");
    for (String target : targets) {
      int colon = target.lastIndexOf(':');
      script.append("p ").append(target, 0, colon).append(' ').append(target.substring(colon + 1));
      script.append(" &\n");
    }
    script.append("wait\n");
    Map<String, Boolean> result = new TreeMap<>();
    Pattern line = Pattern.compile("(?m)^(open|closed) (\\S+)$");
    for (int i = 0; i < attempts; i++) {
      result.clear();
      Matcher m = line.matcher(exec(from, script.toString()).stdout());
      while (m.find()) result.put(m.group(2), m.group(1).equals("open"));
      if (result.size() == targets.size() && !result.containsValue(false)) break;
      Thread.sleep(250);
    }
    return result;
  }

  /** What an attached terminal printed, without its escape codes. */
  static final class Screen implements TerminalListener {
    private final CappedOutput out = new CappedOutput(1 << 20);

    @Override
    public void output(byte[] bytes) {
      out.append(bytes, 0, bytes.length);
    }

    @Override
    public void ended(boolean sessionEnded, @Nullable Integer exitCode) {}

    void await(String text) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!plain().contains(text)) {
        if (System.nanoTime() > deadline)
          throw new AssertionError("the terminal never showed " + text + ": " + plain());
        Thread.sleep(50);
      }
    }

    private String plain() {
      return out.text().replaceAll("\u001B\\[[0-9;?]*[a-zA-Z]", "");
    }
  }

  // --- the test engine ---

  record Result(int exit, String out) {}

  private static void check(Result result) {
    if (result.exit() != 0) throw new IllegalStateException(result.out());
  }

  private static Result dk(String... args) {
    List<String> command = new ArrayList<>(List.of("docker", "-H", SOCKET));
    command.addAll(List.of(args));
    return sh(command.toArray(String[]::new));
  }

  static Result sh(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(300, TimeUnit.SECONDS)) p.destroyForcibly();
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }

  /** Removes the engine, its containers, namespace, data root and cgroups; safe when absent. */
  private static void teardown() throws InterruptedException {
    if (Files.exists(Path.of(RUN, "engine.sock"))) {
      dk("swarm", "leave", "--force");
      sh("sh", "-c", "docker -H " + SOCKET + " ps -aq | xargs -r docker -H " + SOCKET + " rm -f");
    }
    String pid = sh("cat", RUN + "/engine.pid").out().trim();
    if (pid.matches("[0-9]+")) {
      sh("kill", "-TERM", pid);
      for (int i = 0; i < 60 && sh("kill", "-0", pid).exit() == 0; i++) Thread.sleep(500);
      sh("kill", "-KILL", pid);
    }
    if (sh("ip", "netns", "pids", NETNS).exit() == 0) {
      sh("sh", "-c", "ip netns pids " + NETNS + " | xargs -r kill -KILL");
      sh("ip", "netns", "del", NETNS);
    }
    sh(
        "sh",
        "-c",
        "for d in /sys/fs/cgroup/*/cst-swarm-it /sys/fs/cgroup/cst-swarm-it; do [ -d \"$d\" ] || continue;"
            + " find \"$d\" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL;"
            + " find \"$d\" -depth -type d -exec rmdir {} + 2>/dev/null; done; true");
    sh("rm", "-rf", DATA, RUN);
  }
}
