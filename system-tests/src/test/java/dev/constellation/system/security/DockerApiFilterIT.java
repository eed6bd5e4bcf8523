package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker-api-filter in front of the real Docker engine, as compose puts it in front of the
 * socket proxy: what a compromised workspace-service could ask for to take the host is refused and
 * never created, while what workspace-service really does (a labelled container with its project
 * bind, exec with a hijacked stream) still works.
 */
class DockerApiFilterIT {
  private static final String IMAGE =
      System.getenv().getOrDefault("WORKSPACE_IMAGE", "constellation/workspace:local");
  private static final String LABELS =
      "\"Labels\":{\"dev.constellation.managed\":\"true\",\"dev.constellation.test\":\"docker-api-filter\"}";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Process filter;
  private static String base;
  private static Path root;
  private static Path caFile;
  private static final String prefix = "dfilter-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startFilterInFrontOfTheEngine() throws Exception {
    boolean docker =
        Files.exists(Path.of("/var/run/docker.sock"))
            && run("docker", "image", "inspect", IMAGE) == 0;
    if (!docker) {
      if ("1".equals(System.getenv("REQUIRE_DOCKER")))
        fail("REQUIRE_DOCKER=1 but no Docker engine with " + IMAGE);
      Assumptions.abort(
          "no Docker engine with " + IMAGE + "; set REQUIRE_DOCKER=1 to make this a failure");
    }
    Path repo =
        Path.of(System.getProperty("constellation.root", "..")).toAbsolutePath().normalize();
    root = Files.createDirectories(repo.resolve("system-tests/target/docker-filter-root"));
    Files.createDirectories(root.resolve("p1"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                "java", repo.resolve("deploy/docker-api-filter/DockerApiFilter.java").toString())
            .redirectErrorStream(true)
            .redirectOutput(repo.resolve("system-tests/target/docker-api-filter.log").toFile());
    pb.environment().put("DOCKER_FILTER_LISTEN", "127.0.0.1:" + port);
    pb.environment().put("DOCKER_FILTER_UPSTREAM", "unix:///var/run/docker.sock");
    pb.environment().put("DOCKER_FILTER_BIND_ROOTS", root.toString());
    // The installation's CA bundle (WORKSPACE_CA_CERTIFICATES): read-only binds of it only.
    caFile = root.resolveSibling("docker-filter-ca.pem");
    Files.writeString(caFile, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    pb.environment().put("DOCKER_FILTER_READONLY_FILES", caFile.toString());
    filter = pb.start();
    base = "http://127.0.0.1:" + port;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline || !filter.isAlive())
          fail("docker-api-filter did not start; see target/docker-api-filter.log");
        Thread.sleep(100);
      }
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (filter != null) filter.destroy();
    String ids =
        output("docker", "ps", "-aq", "--filter", "label=dev.constellation.test=docker-api-filter");
    for (String id : ids.split("\\s+")) if (!id.isBlank()) run("docker", "rm", "-f", id);
    run("docker", "rm", "-f", prefix + "-unmanaged", prefix + "-mine");
    run("docker", "image", "rm", prefix + "-committed");
    run("docker", "network", "rm", prefix + "-theirs", prefix + "-ours");
    run("docker", "volume", "rm", prefix + "-data", prefix + "-made");
  }

  @Test
  @Checklist({"A16"})
  void aCompromisedServiceCannotCreateAContainerThatTakesTheHost() throws Exception {
    // Another service's network and volume (the database's): not for a workspace.
    assertThat(run("docker", "network", "create", "--internal", prefix + "-theirs")).isZero();
    assertThat(run("docker", "volume", "create", prefix + "-data")).isZero();
    List<String> hostConfigs =
        List.of(
            "\"HostConfig\":{\"Privileged\":true}",
            "\"hostconfig\":{\"privileged\":true}",
            "\"HostConfig\":{\"CapAdd\":[\"SYS_ADMIN\"]}",
            "\"HostConfig\":{\"NetworkMode\":\"host\"}",
            "\"HostConfig\":{\"PidMode\":\"host\"}",
            "\"HostConfig\":{\"IpcMode\":\"host\"}",
            "\"HostConfig\":{\"UsernsMode\":\"host\"}",
            "\"HostConfig\":{\"NetworkMode\":\"container:some-gateway\"}",
            "\"HostConfig\":{\"Devices\":[{\"PathOnHost\":\"/dev/sda\",\"PathInContainer\":\"/dev/sda\",\"CgroupPermissions\":\"rwm\"}]}",
            "\"HostConfig\":{\"Binds\":[\"/:/host\"]}",
            "\"HostConfig\":{\"Binds\":[\"/var/run/docker.sock:/var/run/docker.sock\"]}",
            "\"HostConfig\":{\"Binds\":[\"" + root + "/p1/../../..:/host\"]}",
            "\"HostConfig\":{\"Binds\":[\"" + root + "/p1/linked:/host\"]}",
            "\"HostConfig\":{\"Binds\":[\"" + caFile + ":/etc/ca.pem\"]}",
            "\"HostConfig\":{\"Binds\":[\"" + caFile + ":/etc/ca.pem:rw\"]}",
            "\"HostConfig\":{\"Binds\":[\"" + caFile.getParent() + ":/host:ro\"]}",
            "\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\""
                + caFile
                + "\",\"Target\":\"/x\"}]}",
            "\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/etc\",\"Target\":\"/x\"}]}",
            "\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/x\",\"VolumeOptions\":{\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/\"}}}}]}",
            "\"HostConfig\":{\"SecurityOpt\":[\"seccomp=unconfined\"]}",
            "\"HostConfig\":{\"SecurityOpt\":[\"apparmor:unconfined\"]}",
            "\"HostConfig\":{\"VolumesFrom\":[\"docker-socket-proxy\"]}",
            "\"HostConfig\":{\"Binds\":[\"" + prefix + "-data:/data\"]}",
            "\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\""
                + prefix
                + "-data\",\"Target\":\"/data\"}]}",
            "\"HostConfig\":{\"NetworkMode\":\"" + prefix + "-theirs\"}",
            "\"NetworkingConfig\":{\"EndpointsConfig\":{\"" + prefix + "-theirs\":{}}}");
    int n = 0;
    for (String hostConfig : hostConfigs) {
      String name = prefix + "-bad-" + n++;
      HttpResponse<String> r =
          create(name, "{\"Image\":\"" + IMAGE + "\"," + LABELS + "," + hostConfig + "}", false);
      assertThat(r.statusCode()).as(hostConfig + ": " + r.body()).isEqualTo(403);
      assertThat(r.body()).contains("docker-api-filter");
      assertThat(exists(name)).as(hostConfig).isFalse();
    }
    // A chunked body is read whole before it is judged, too.
    String chunked = prefix + "-chunked";
    HttpResponse<String> r =
        create(
            chunked,
            "{\"Image\":\"" + IMAGE + "\"," + LABELS + ",\"HostConfig\":{\"Privileged\":true}}",
            true);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(exists(chunked)).isFalse();
    // And a container without our label cannot be made at all.
    String unlabelled = prefix + "-unlabelled";
    r =
        create(
            unlabelled,
            "{\"Image\":\""
                + IMAGE
                + "\",\"Labels\":{\"dev.constellation.test\":\"docker-api-filter\"}}",
            false);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(exists(unlabelled)).isFalse();
  }

  @Test
  @Checklist({"A16"})
  void aRequestSmuggledBehindAnAllowedOneNeverReachesTheEngine() throws Exception {
    String name = prefix + "-smuggled";
    String body =
        "{\"Image\":\"" + IMAGE + "\"," + LABELS + ",\"HostConfig\":{\"Privileged\":true}}";
    URI uri = URI.create(base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /version HTTP/1.1\r\nHost: docker\r\n\r\n"
                  + "POST /containers/create?name="
                  + name
                  + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.getBytes(StandardCharsets.UTF_8).length
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      socket.setSoTimeout(10_000);
      socket.getInputStream().readAllBytes();
    }
    assertThat(exists(name)).isFalse();
  }

  @Test
  @Checklist({"A16"})
  void whatWorkspaceServiceDoesStillWorksButOnlyOnItsOwnContainers() throws Exception {
    String ours = prefix + "-ours";
    // Its own network, labelled as workspace-service labels it.
    assertThat(
            run(
                "docker",
                "network",
                "create",
                "--internal",
                "--label",
                "dev.constellation.managed=true",
                ours))
        .isZero();
    HttpResponse<String> created =
        create(
            ours,
            "{\"Image\":\""
                + IMAGE
                + "\",\"Cmd\":[\"sleep\",\"60\"],"
                + LABELS
                + ",\"HostConfig\":{\"Binds\":[\""
                + root.resolve("p1")
                + ":/workspace\",\""
                + caFile
                + ":/etc/constellation/ca-certificates.pem:ro\"],\"CapDrop\":[\"ALL\"],"
                + "\"SecurityOpt\":[\"no-new-privileges\"],\"Init\":true,\"NetworkMode\":\""
                + ours
                + "\"}}",
            false);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(post("/containers/" + ours + "/start", "").statusCode()).isEqualTo(204);

    HttpResponse<String> privileged =
        post("/containers/" + ours + "/exec", "{\"Cmd\":[\"id\"],\"Privileged\":true}");
    assertThat(privileged.statusCode()).as(privileged.body()).isEqualTo(403);
    HttpResponse<String> exec =
        post(
            "/containers/" + ours + "/exec",
            "{\"Cmd\":[\"echo\",\"through-the-filter\"],\"AttachStdout\":true}");
    assertThat(exec.statusCode()).as(exec.body()).isEqualTo(201);
    String execId = AiClient.JSON.readTree(exec.body()).path("Id").asString();
    HttpResponse<String> started =
        post("/exec/" + execId + "/start", "{\"Detach\":false,\"Tty\":true}");
    assertThat(started.body()).contains("through-the-filter");

    // A container that is not ours (the gateway, the database, the proxy itself): no exec, no
    // start, no removal.
    assertThat(run("docker", "run", "-d", "--name", prefix + "-unmanaged", IMAGE, "sleep", "60"))
        .isZero();
    assertThat(post("/containers/" + prefix + "-unmanaged/exec", "{\"Cmd\":[\"id\"]}").statusCode())
        .isEqualTo(403);
    assertThat(post("/v1.41/containers/" + prefix + "-unmanaged/kill", "").statusCode())
        .isEqualTo(403);
    HttpResponse<String> removed =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/containers/" + prefix + "-unmanaged?force=true"))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(removed.statusCode()).isEqualTo(403);
    assertThat(exists(prefix + "-unmanaged")).isTrue();
  }

  /**
   * docker-node-filter reads its node's socket with no socket proxy behind it, so the filter itself
   * must refuse every call workspace-service never makes, even on a container of ours.
   */
  @Test
  @Checklist({"A16"})
  void callsWorkspaceServiceNeverMakesAreRefusedAndChangeNothing() throws Exception {
    String mine = prefix + "-mine";
    String committed = prefix + "-committed";
    assertThat(
            run(
                "docker",
                "run",
                "-d",
                "--label",
                "dev.constellation.managed=true",
                "--name",
                mine,
                IMAGE,
                "sleep",
                "60"))
        .isZero();
    List<String[]> calls =
        List.of(
            new String[] {"POST", "/v1.41/commit?container=" + mine + "&repo=" + committed, ""},
            new String[] {"PUT", "/containers/" + mine + "/archive?path=/tmp", ""},
            new String[] {"POST", "/containers/" + mine + "/attach?stream=1&stdin=1", ""},
            new String[] {"POST", "/containers/" + mine + "/kill", ""},
            new String[] {"POST", "/images/create?fromImage=" + IMAGE, ""},
            new String[] {"POST", "/images/load", ""},
            new String[] {"POST", "/build", ""},
            new String[] {"GET", "/events", null},
            new String[] {"GET", "/images/json", null},
            new String[] {"POST", "/containers/prune", ""},
            new String[] {"POST", "/auth", "{}"},
            new String[] {
              "POST",
              "/volumes/create",
              "{\"Name\":\""
                  + prefix
                  + "-made\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/\"}}"
            });
    for (String[] call : calls) {
      HttpRequest.BodyPublisher body =
          call[2] == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(call[2]);
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + call[1]))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .method(call[0], body)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode())
          .as(call[0] + " " + call[1] + ": " + answer.body())
          .isEqualTo(403);
    }
    assertThat(run("docker", "image", "inspect", committed)).as("a committed image").isNotZero();
    assertThat(run("docker", "volume", "inspect", prefix + "-made")).as("a volume").isNotZero();
    assertThat(output("docker", "inspect", "-f", "{{.State.Running}}", mine).trim())
        .isEqualTo("true");
  }

  private static HttpResponse<String> create(String name, String json, boolean chunked)
      throws Exception {
    HttpRequest.BodyPublisher body =
        chunked
            ? HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
            : HttpRequest.BodyPublishers.ofString(json);
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/v1.41/containers/create?name=" + name))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(body)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean exists(String name) throws Exception {
    return run("docker", "container", "inspect", name) == 0;
  }

  private static int run(String... command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static String output(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }
}
