package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.SystemStack;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Workspaces have outbound network by default, and it is network for work, not for attacks. "The
 * internet" is a network namespace of ours at 198.18.0.10 (the benchmark range, not a private one)
 * that the host routes to, like any address beyond the host; beside it, namespaces at
 * 169.254.169.254 (cloud metadata) and at a private address (a LAN or another Docker network's
 * service), and a server on the host itself. Each answers the host, so a refusal from inside a
 * workspace is the firewall's doing, not a missing server. Needs root (ip netns) and Docker.
 */
class WorkspaceEgressIT {
  private static final String INTERNET = "198.18.0.10";
  private static final String METADATA = "169.254.169.254";
  private static final String PRIVATE = "10.213.7.10";

  /** Our pid names the namespaces, so a later run can tell a killed run's leftovers. */
  private static final String TAG = String.valueOf(ProcessHandle.current().pid());

  private static final List<String> namespaces = new ArrayList<>();
  private static final List<Process> servers = new ArrayList<>();
  private static Path served;
  private static int hostPort;

  @BeforeAll
  static void testHosts() throws Exception {
    Workspaces.requireDocker();
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean ip = run(List.of("ip", "netns", "list")).exit() == 0;
    if (!(root && ip)) {
      if (SystemStack.dockerRequired())
        throw new IllegalStateException("REQUIRE_DOCKER=1: this test needs root and iproute2");
      Assumptions.abort("needs root and iproute2 for network-namespace test hosts");
    }
    SystemStack.get();
    removeNamespacesOfDeadRuns();
    served = Files.createTempDirectory("egress-it");
    Files.writeString(served.resolve("index.html"), "hello from the test internet\n");
    namespaceHost("net", INTERNET, "198.18.0.1");
    namespaceHost("meta", METADATA, "169.254.169.1");
    namespaceHost("priv", PRIVATE, "10.213.7.1");
    // And something the host itself listens on, on every address (the bridge gateway's too).
    try (ServerSocket s = new ServerSocket(0)) {
      hostPort = s.getLocalPort();
    }
    servers.add(
        start(
            List.of(
                "python3",
                "-m",
                "http.server",
                String.valueOf(hostPort),
                "--bind",
                "0.0.0.0",
                "--directory",
                served.toString())));
    for (String target :
        List.of(INTERNET + ":8080", METADATA + ":80", PRIVATE + ":80", "127.0.0.1:" + hostPort)) {
      assertThat(answersHost("http://" + target + "/"))
          .as(
              "the test host %s answers the host; route: %s; addresses:%n%s",
              target,
              run(List.of("ip", "route", "get", target.substring(0, target.indexOf(':')))).output(),
              run(List.of("ip", "-br", "addr")).output())
          .isTrue();
    }
  }

  /**
   * A run killed before its clean-up leaves its namespaces, and their host-side addresses keep a
   * route to the same test subnets that would shadow ours.
   */
  private static void removeNamespacesOfDeadRuns() throws Exception {
    for (String line : run(List.of("ip", "netns", "list")).output().split("\n")) {
      var stale = java.util.regex.Pattern.compile("^cw-(net|meta|priv)-(\\d+)\\b").matcher(line);
      if (stale.find() && ProcessHandle.of(Long.parseLong(stale.group(2))).isEmpty()) {
        run(List.of("ip", "netns", "delete", line.split(" ")[0]));
      }
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    for (Process p : servers) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    for (String ns : namespaces) run(List.of("ip", "netns", "delete", ns));
    if (served != null) {
      try (var walk = Files.walk(served)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
  }

  @Test
  @Checklist({"B23", "B32"})
  void aWorkspaceReachesTheInternetButNotMetadataPrivateRangesTheHostOrAnotherWorkspace()
      throws Exception {
    Workspaces.Project a = Workspaces.newProject("egress-a");
    Workspaces.Project b = Workspaces.newProject("egress-b");
    try {
      a.start();
      JsonNode status = statusOf(a);
      assertThat(status.path("network").path("egress").asBoolean())
          .as("egress on by default: %s", status)
          .isTrue();
      assertThat(status.path("network").path("firewall").asString()).isEqualTo("iptables");
      String network = SystemStack.workspaceNetwork();
      assertThat(Workspaces.docker("network", "inspect", "-f", "{{.Internal}}", network).trim())
          .isEqualTo("false");
      String gateway =
          Workspaces.docker(
                  "network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", network)
              .trim();
      assertThat(gateway).isNotBlank();
      assertThat(answersHost("http://" + gateway + ":" + hostPort + "/"))
          .as("the host's server answers on the bridge gateway address too")
          .isTrue();

      b.start();
      b.exec(
          "setsid nohup python3 -m http.server 8080 --bind 0.0.0.0 >/dev/null 2>&1 </dev/null &");
      String ipB = ipOf(b);
      assertThat(WorkspaceIsolationIT.probe(b, List.of("127.0.0.1:8080"), 60))
          .containsEntry("127.0.0.1:8080", true);

      // The allowed half: the test internet, by address and through curl as a user would.
      JsonNode fetched = a.exec("curl -sS --noproxy '*' -m 10 http://" + INTERNET + ":8080/", 30);
      assertThat(fetched.path("exitCode").asInt()).as(fetched.toString()).isZero();
      assertThat(fetched.path("stdout").asString()).isEqualTo("hello from the test internet\n");

      // The refused half, each with curl's own exit code.
      Map<String, String> refused =
          Map.of(
              "metadata", "http://" + METADATA + "/latest/meta-data/",
              "private range", "http://" + PRIVATE + "/",
              "host via the bridge gateway", "http://" + gateway + ":" + hostPort + "/",
              "another workspace", "http://" + ipB + ":8080/");
      for (var target : refused.entrySet()) {
        JsonNode out =
            a.exec(
                "curl -sS --noproxy '*' -m 5 -o /dev/null -w '%{http_code}' "
                    + target.getValue()
                    + "; echo \" exit=$?\"",
                30);
        assertThat(out.path("stdout").asString())
            .as("%s (%s): %s", target.getKey(), target.getValue(), out)
            .doesNotContain("exit=0")
            .doesNotContain("200");
      }
      // And TCP to the stack's own ports on every host address (issue 8's test, with egress on).
      List<String> targets = new ArrayList<>();
      for (String host : WorkspaceIsolationIT.hostAddresses(network)) {
        for (int port : WorkspaceIsolationIT.stackPorts()) targets.add(host + ":" + port);
      }
      assertThat(
              WorkspaceIsolationIT.probe(a, targets, 1).entrySet().stream()
                  .filter(Map.Entry::getValue)
                  .map(Map.Entry::getKey)
                  .toList())
          .as("stack ports open from a workspace with egress")
          .isEmpty();
    } finally {
      a.delete();
      b.delete();
    }
  }

  @Test
  @Checklist("B15")
  void proxiesAndCaCertificatesPassThroughButNoSecretOfTheService() throws Exception {
    Workspaces.Project p = Workspaces.newProject("outbound");
    try {
      p.start();
      String ca = "/etc/constellation/ca-certificates.pem";
      JsonNode env =
          p.exec(
              "for v in HTTP_PROXY http_proxy HTTPS_PROXY https_proxy NO_PROXY no_proxy"
                  + " NODE_EXTRA_CA_CERTS REQUESTS_CA_BUNDLE PIP_CERT SSL_CERT_FILE GIT_SSL_CAINFO;"
                  + " do echo \"$v=${!v}\"; done; cat "
                  + ca
                  + "; (echo x >> "
                  + ca
                  + ") 2>/dev/null && echo ca-writable;"
                  + " env | grep -c -E 'JWT_SECRET|ANTHROPIC|MONGODB_URI|REDIS_URL|_TOKEN=|SECRET'");
      String out = env.path("stdout").asString();
      assertThat(out)
          .contains(
              "HTTP_PROXY=" + SystemStack.OUTBOUND_HTTP_PROXY + "\n",
              "http_proxy=" + SystemStack.OUTBOUND_HTTP_PROXY + "\n",
              "HTTPS_PROXY=" + SystemStack.OUTBOUND_HTTPS_PROXY + "\n",
              "https_proxy=" + SystemStack.OUTBOUND_HTTPS_PROXY + "\n",
              "NO_PROXY=" + SystemStack.OUTBOUND_NO_PROXY + "\n",
              "no_proxy=" + SystemStack.OUTBOUND_NO_PROXY + "\n",
              "NODE_EXTRA_CA_CERTS=" + ca + "\n",
              "REQUESTS_CA_BUNDLE=" + ca + "\n",
              "PIP_CERT=" + ca + "\n",
              "SSL_CERT_FILE=" + ca + "\n",
              "GIT_SSL_CAINFO=" + ca + "\n",
              SystemStack.OUTBOUND_CA_PEM)
          .doesNotContain("ca-writable")
          .endsWith("\n0\n");
      // curl really uses the proxy it was given: the proxy's host does not resolve.
      JsonNode proxied = p.exec("curl -sS -m 10 http://example.invalid/ 2>&1; true");
      assertThat(proxied.path("stdout").asString()).contains("proxy");

      // A terminal's shell has them too.
      TerminalClient terminal = TerminalClient.open(p, true, "");
      try {
        assertThat(
                terminal.run(
                    "echo \"p=[$HTTPS_PROXY] c=[$SSL_CERT_FILE]\"",
                    "p=\\[" + SystemStack.OUTBOUND_HTTPS_PROXY + "\\] c=\\[" + ca + "\\]",
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

  /**
   * A namespace with a veth pair to the host: {@code address}/24 inside with a server on port 80
   * (8080 for the internet host), {@code hostSide}/24 on the host end.
   */
  private static void namespaceHost(String name, String address, String hostSide) throws Exception {
    String ns = "cw-" + name + "-" + TAG;
    String host = "vh" + name + TAG;
    String inside = "vn" + name + TAG;
    must(List.of("ip", "netns", "add", ns));
    namespaces.add(ns);
    must(List.of("ip", "link", "add", host, "type", "veth", "peer", "name", inside));
    must(List.of("ip", "link", "set", inside, "netns", ns));
    must(List.of("ip", "addr", "add", hostSide + "/24", "dev", host));
    must(List.of("ip", "link", "set", host, "up"));
    must(List.of("ip", "netns", "exec", ns, "ip", "addr", "add", address + "/24", "dev", inside));
    must(List.of("ip", "netns", "exec", ns, "ip", "link", "set", inside, "up"));
    must(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
    must(List.of("ip", "netns", "exec", ns, "ip", "route", "add", "default", "via", hostSide));
    String port = address.equals(INTERNET) ? "8080" : "80";
    servers.add(
        start(
            List.of(
                "ip",
                "netns",
                "exec",
                ns,
                "python3",
                "-m",
                "http.server",
                port,
                "--bind",
                address,
                "--directory",
                served.toString())));
  }

  private static String ipOf(Workspaces.Project p) {
    JsonNode c = Workspaces.inspect(p.container());
    String network = c.path("HostConfig").path("NetworkMode").asString();
    return c.path("NetworkSettings").path("Networks").path(network).path("IPAddress").asString();
  }

  /** Whether the host gets a 200 from {@code url} within 20 s (the server may still start). */
  private static boolean answersHost(String url) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      Result r =
          run(
              List.of(
                  "curl",
                  "-s",
                  "--noproxy",
                  "*",
                  "-m",
                  "2",
                  "-o",
                  "/dev/null",
                  "-w",
                  "%{http_code}",
                  url));
      if (r.output().trim().equals("200")) return true;
      Thread.sleep(200);
    }
    return false;
  }

  record Result(int exit, String output) {}

  private static Process start(List<String> command) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static void must(List<String> command) throws Exception {
    Result r = run(command);
    assertThat(r.exit()).as("%s: %s", String.join(" ", command), r.output()).isZero();
  }

  private static Result run(List<String> command) throws Exception {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(process.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    }
  }

  private static JsonNode statusOf(Workspaces.Project p) throws Exception {
    return dev.constellation.system.Api.json(
        p.api().get("/api/projects/" + p.id() + "/workspace", p.owner().accessToken()));
  }
}
