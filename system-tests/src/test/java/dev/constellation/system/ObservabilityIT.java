package dev.constellation.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.localstack.LocalStack;
import dev.constellation.localstack.TestInfrastructure;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * The monitoring stack proven against the running IDE: a real Prometheus ({@code
 * /usr/bin/prometheus}, Debian's package) scrapes the four services' {@code /actuator/prometheus}
 * every second with the repository's alert rules loaded, while this test drives traffic through the
 * gateway (accounts, a bad password, an invalid token, project CRUD, a 404, files, chat with a
 * prompt-cache hit and an upstream failure from the fake Anthropic, exec). Then every query of
 * every panel and template variable of every dashboard in {@code deploy/grafana/dashboards} must
 * return data without error.
 *
 * <p>Alert expressions compare a measurement with a threshold, so a healthy system answers them
 * with nothing, which proves nothing. The rules therefore keep one shape, {@code <measurement> <op>
 * <number>} with the comparison at the top level (stated in the rules file); this test takes each
 * loaded rule's query from Prometheus' rules API, checks that shape, cuts off the comparison and
 * requires the measurement to return data; a measurement {@code absent(<selector>)} is checked by
 * evaluating the selector. It also requires every rule to have been evaluated without error.
 *
 * <p>Skipped when Prometheus is not installed, unless {@code REQUIRE_PROMETHEUS=1} (CI), then it
 * fails.
 */
class ObservabilityIT {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final List<String> JOBS =
      LocalStack.SERVICES.stream().map(LocalStack.ServiceSpec::name).toList();

  /**
   * Grafana's built-in interval variables, as a 1 s scrape interval and a short test make sensible.
   */
  private static final Map<String, String> GRAFANA_INTERVALS =
      Map.of("__rate_interval", "1m", "__interval", "15s", "__range", "5m");

  private static final Pattern ALERT_SHAPE =
      Pattern.compile("(?s)^(.*\\S)\\s*(==|!=|>=|<=|>|<)\\s*(-?[0-9.]+(?:[eE][+-]?[0-9]+)?)\\s*$");
  private static final Pattern ABSENT = Pattern.compile("(?s)^absent\\((.*)\\)$");
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("(?s)^label_values\\((.*),\\s*(\\w+)\\s*\\)$");

  private static Path root;
  private static Process prometheus;
  private static String prometheusUrl;
  private static Api api;
  private static Api.Session user;
  private static String projectId;
  private static String conversationId;
  private static final String TRACED_REQUEST = "obs-" + UUID.randomUUID();

  @BeforeAll
  static void prometheusScrapesTheStackWhileTrafficFlows() throws Exception {
    if (!Files.isExecutable(PROMETHEUS)) {
      if ("1".equals(System.getenv("REQUIRE_PROMETHEUS"))) {
        fail(PROMETHEUS + " is missing and REQUIRE_PROMETHEUS=1 (apt-get install prometheus)");
      }
      abort(
          PROMETHEUS
              + " is not installed (apt-get install prometheus); REQUIRE_PROMETHEUS=1 makes this a failure");
    }
    root = Path.of(System.getProperty("constellation.root", "..")).toAbsolutePath().normalize();
    SystemStack.get();
    startPrometheus();
    Instant trafficDone = driveTraffic();
    awaitScrapesAndEvaluationsAfter(trafficDone);
  }

  @AfterAll
  static void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyDashboardQueryReturnsData() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    List<Path> dashboards;
    try (var files = Files.list(root.resolve("deploy/grafana/dashboards"))) {
      dashboards = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(dashboards).as("provisioned dashboards").hasSizeGreaterThanOrEqualTo(4);
    Set<String> titles = new HashSet<>();
    for (Path file : dashboards) {
      JsonNode dashboard = Api.JSON.readTree(file.toFile());
      String title = dashboard.path("title").asString();
      titles.add(title);
      Set<String> variables = new HashSet<>();
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        variables.add(variable.path("name").asString());
        String query =
            variable.path("query").isObject()
                ? variable.path("query").path("query").asString()
                : variable.path("query").asString();
        tests.add(
            DynamicTest.dynamicTest(
                title + " · variable $" + variable.path("name").asString(),
                () -> assertVariableQueryFindsValues(substitute(query, variables))));
      }
      List<JsonNode> panels = new ArrayList<>();
      collectPanels(dashboard.path("panels"), panels);
      assertThat(panels).as(title + " has panels with queries").isNotEmpty();
      for (JsonNode panel : panels) {
        for (JsonNode target : panel.path("targets")) {
          String expr = target.path("expr").asString();
          tests.add(
              DynamicTest.dynamicTest(
                  title
                      + " · "
                      + panel.path("title").asString()
                      + " · "
                      + target.path("refId").asString(),
                  () -> assertReturnsData(substitute(expr, variables))));
        }
      }
    }
    assertThat(titles)
        .anyMatch(t -> t.contains("Service overview"))
        .anyMatch(t -> t.contains("Database metrics"))
        .anyMatch(t -> t.contains("User activity"))
        .anyMatch(t -> t.contains("System performance"));
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyAlertMeasurementReturnsData() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode rule : loadedRules()) {
      if (!"alerting".equals(rule.path("type").asString())) continue;
      String name = rule.path("name").asString();
      String query = rule.path("query").asString();
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                Matcher shape = ALERT_SHAPE.matcher(query);
                assertThat(shape.matches())
                    .as(name + " keeps the shape <measurement> <op> <number>: " + query)
                    .isTrue();
                String measurement = shape.group(1).strip();
                assertThat(topLevel(measurement))
                    .as(name + ": the comparison must be the outermost operator: " + query)
                    .isTrue();
                Matcher absent = ABSENT.matcher(measurement);
                assertReturnsData(absent.matches() ? absent.group(1) : measurement);
              }));
    }
    assertThat(tests)
        .as("alert rules loaded from deploy/prometheus/rules")
        .hasSizeGreaterThanOrEqualTo(6);
    return tests.stream();
  }

  @Test
  void everyAlertRuleIsLoadedAndEvaluatesWithoutError() throws Exception {
    List<JsonNode> rules = loadedRules();
    Set<String> names = new HashSet<>();
    for (JsonNode rule : rules) {
      names.add(rule.path("name").asString());
      assertThat(rule.path("health").asString())
          .as(rule.path("name").asString() + ": " + rule.path("lastError").asString())
          .isEqualTo("ok");
    }
    assertThat(names)
        .contains(
            "ServiceInstanceDown",
            "HighErrorRate",
            "HighP99Latency",
            "WorkspaceStartFailures",
            "AiUpstreamErrors",
            "WorkspacesDiskLow");
  }

  /**
   * The test scrapes with its own config; this keeps the deployed one naming the same jobs and
   * path.
   */
  @Test
  void deployedScrapeConfigCoversEveryServiceUnderTheJobNamesTheRulesUse() throws IOException {
    String deployed = Files.readString(root.resolve("deploy/prometheus/prometheus.yml"));
    for (String job : JOBS) {
      assertThat(deployed)
          .containsPattern(
              "(?s)job_name: " + Pattern.quote(job) + "\\s+metrics_path: /actuator/prometheus");
    }
    assertThat(deployed).contains("rules/*.yml");
  }

  @Test
  void httpMetricsNameRouteTemplatesNeverIds() throws Exception {
    JsonNode series =
        query("group by (application, uri, route) (http_server_requests_seconds_count)");
    assertThat(series).isNotEmpty();
    for (JsonNode s : series) {
      String labels = s.path("metric").toString();
      assertThat(labels)
          .doesNotContain(projectId)
          .doesNotContain(conversationId)
          .doesNotContain(user.userId());
    }
    // Proxied requests carry the gateway route's id, and a template rather than UNKNOWN.
    JsonNode proxied =
        query(
            "group by (route, uri) (http_server_requests_seconds_count{application=\"api-gateway\", route=\"workspace-service\"})");
    assertThat(proxied).isNotEmpty();
    assertThat(proxied.get(0).path("metric").path("uri").asString())
        .startsWith("/api/projects/{id}/");
  }

  @Test
  void everyServiceLogsTheTracedRequestWithItsUserAndRoute() throws Exception {
    for (String service :
        List.of("api-gateway", "project-service", "workspace-service", "claude-service")) {
      Path log = SystemStack.get().service(service).logFile();
      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(log)) {
        if (!line.contains(TRACED_REQUEST)) continue;
        JsonNode event = Api.JSON.readTree(line);
        if (TRACED_REQUEST.equals(event.path("requestId").asString())) lines.add(event);
      }
      assertThat(lines).as(service + " logged the traced requests (" + log + ")").isNotEmpty();
      assertThat(lines)
          .as(service + ": every line of the traced requests names the user and the route")
          .allSatisfy(
              event -> {
                assertThat(event.path("userId").asString()).isEqualTo(user.userId());
                assertThat(event.path("route").asString()).isNotBlank();
                assertThat(event.path("service").asString()).isEqualTo(service);
              });
    }
  }

  @Test
  void auditTrailHoldsTheSessionForAdminsOnly() throws Exception {
    String admin =
        new JwtCodec(
                TestInfrastructure.JWT_SECRET,
                "constellation",
                "constellation-api",
                Clock.systemUTC())
            .sign(
                new AuthenticatedUser(
                    "obs-admin", "obs-admin@example.test", Set.of("USER", "ADMIN")),
                Duration.ofMinutes(5));
    String path =
        "/api/admin/audit?size=100&actorId="
            + URLEncoder.encode(user.userId(), StandardCharsets.UTF_8);
    // Not the observer: on a fresh stack its account is the first, which makes it an ADMIN.
    Api.Session bystander = api.register("bystander");
    assertThat(api.get(path, bystander.accessToken()).statusCode()).isEqualTo(403);
    Set<String> expected =
        Set.of("auth.register", "auth.login", "project.create", "project.delete", "ai.request");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Set<String> actions = Set.of();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = api.get(path, admin);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      actions =
          new java.util.HashSet<>(Api.json(response).path("items").findValuesAsString("action"));
      if (actions.containsAll(expected)) break;
      Thread.sleep(250);
    }
    assertThat(actions).containsAll(expected);
    HttpResponse<String> ai = api.get(path + "&action=ai.request&projectId=" + projectId, admin);
    JsonNode first = Api.json(ai).path("items").get(0);
    assertThat(first.path("service").asString()).isEqualTo("claude-service");
    assertThat(first.path("projectId").asString()).isEqualTo(projectId);
  }

  // ---------------------------------------------------------------------------------------------

  private static void startPrometheus() throws IOException, InterruptedException {
    Path work = root.resolve("system-tests/target/observability-it");
    SystemStack.deleteRecursively(work);
    Files.createDirectories(work);
    StringBuilder config =
        new StringBuilder(
            """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
        """
                .formatted(root.resolve("deploy/prometheus/rules").toAbsolutePath() + "/*.yml"));
    for (String job : JOBS) {
      config.append(
          """
            - job_name: %s
              metrics_path: /actuator/prometheus
              static_configs:
                - targets: ["127.0.0.1:%d"]
          """
              .formatted(job, SystemStack.get().service(job).port()));
    }
    Path configFile = Files.writeString(work.resolve("prometheus.yml"), config.toString());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    prometheusUrl = "http://127.0.0.1:" + port;
    prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!prometheus.isAlive())
        fail("prometheus exited: " + Files.readString(work.resolve("prometheus.log")));
      try {
        if (Api.HTTP
                .send(
                    HttpRequest.newBuilder(URI.create(prometheusUrl + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) return;
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    fail("prometheus did not become ready; see " + work.resolve("prometheus.log"));
  }

  /** What a short session of a real user produces, plus the failures the dashboards count. */
  private static Instant driveTraffic() throws Exception {
    api = new Api(SystemStack.gatewayUrl());
    user = api.register("observer");
    var login =
        api.send(
            "POST",
            "/api/auth/login",
            null,
            Map.of("email", user.email(), "password", "correct horse battery staple"));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    assertThat(
            api.send(
                    "POST",
                    "/api/auth/refresh",
                    null,
                    Map.of("refreshToken", Api.json(login).path("refreshToken").asString()))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            api.send(
                    "POST",
                    "/api/auth/login",
                    null,
                    Map.of("email", user.email(), "password", "not the password"))
                .statusCode())
        .isEqualTo(401);
    assertThat(api.get("/api/projects", "not-a-token").statusCode()).isEqualTo(401);

    String token = user.accessToken();
    var created = traced("POST", "/api/projects", Map.of("name", "Observed", "templateId", "node"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    projectId = Api.json(created).path("id").asString();
    assertThat(api.get("/api/projects", token).statusCode()).isEqualTo(200);
    assertThat(api.get("/api/projects/" + projectId, token).statusCode()).isEqualTo(200);
    assertThat(
            api.send(
                    "PATCH",
                    "/api/projects/" + projectId,
                    token,
                    Map.of("name", "Observed, renamed"))
                .statusCode())
        .isEqualTo(200);
    assertThat(api.get("/api/projects/no-such-project", token).statusCode()).isEqualTo(404);
    var doomed =
        api.send("POST", "/api/projects", token, Map.of("name", "Doomed", "templateId", "blank"));
    assertThat(doomed.statusCode()).as(doomed.body()).isEqualTo(201);
    assertThat(
            api.send(
                    "DELETE",
                    "/api/projects/" + Api.json(doomed).path("id").asString(),
                    token,
                    null)
                .statusCode())
        .isIn(202, 204);

    var written =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        SystemStack.gatewayUrl()
                            + "/api/projects/"
                            + projectId
                            + "/files/content?path=notes.txt"))
                .header("Authorization", "Bearer " + token)
                .header("X-Request-Id", TRACED_REQUEST)
                .PUT(HttpRequest.BodyPublishers.ofString("observed\n")));
    assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
    assertThat(
            api.get("/api/projects/" + projectId + "/files/content?path=notes.txt", token)
                .statusCode())
        .isEqualTo(200);

    var conversation =
        traced(
            "POST",
            "/api/projects/" + projectId + "/conversations",
            Map.of("title", "Observed chat"));
    assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(201);
    conversationId = Api.json(conversation).path("id").asString();
    // The second answer repeats the cached system prompt: the fake reports a cache read.
    assertThat(chat("What does server.js do?", TRACED_REQUEST).body()).contains("event:done");
    assertThat(chat("And how do I test it?", null).body()).contains("event:done");
    assertThat(chat("FAKE-UPSTREAM-ERROR please", null).body())
        .contains("event:error")
        .doesNotContain("event:done");

    // The local runtime may refuse exec on a shared installation; Docker runs it. Either is
    // traffic.
    int exec =
        api.send(
                "POST",
                "/api/projects/" + projectId + "/exec",
                token,
                Map.of("command", "echo observed"))
            .statusCode();
    assertThat(exec).isNotIn(401, 404);
    api.get("/api/projects/" + projectId + "/workspace", token);
    return Instant.now();
  }

  private static HttpResponse<String> traced(String method, String path, Object body)
      throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(SystemStack.gatewayUrl() + path))
            .header("Authorization", "Bearer " + user.accessToken())
            .header("X-Request-Id", TRACED_REQUEST)
            .header("Content-Type", "application/json")
            .method(
                method, HttpRequest.BodyPublishers.ofString(Api.JSON.writeValueAsString(body))));
  }

  private static HttpResponse<String> chat(String content, String requestId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    SystemStack.gatewayUrl()
                        + "/api/conversations/"
                        + conversationId
                        + "/messages"))
            .header("Authorization", "Bearer " + user.accessToken())
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    Api.JSON.writeValueAsString(Map.of("content", content))));
    if (requestId != null) request.header("X-Request-Id", requestId);
    return send(request);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return Api.HTTP.send(
        request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Until every service was scraped and every rule evaluated after the traffic, plus a few scrapes
   * for rate().
   */
  private static void awaitScrapesAndEvaluationsAfter(Instant trafficDone) throws Exception {
    double after = trafficDone.getEpochSecond() + 3;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode up = query("timestamp(up == 1)");
      long fresh = 0;
      for (JsonNode s : up) {
        if (s.path("value").get(1).asDouble() >= after) fresh++;
      }
      boolean evaluated =
          !loadedRules().isEmpty()
              && loadedRules().stream()
                  .allMatch(
                      r ->
                          Instant.parse(r.path("lastEvaluation").asString()).getEpochSecond()
                              >= after);
      if (fresh == JOBS.size() && evaluated) return;
      Thread.sleep(500);
    }
    fail(
        "Prometheus did not scrape all of "
            + JOBS
            + " and evaluate the rules within 60 s: "
            + query("up"));
  }

  private static List<JsonNode> loadedRules() throws Exception {
    JsonNode groups = api(prometheusUrl + "/api/v1/rules").path("data").path("groups");
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode group : groups) group.path("rules").forEach(rules::add);
    return rules;
  }

  private static void assertReturnsData(String promql) throws Exception {
    assertThat(query(promql)).as("no data for: " + promql).isNotEmpty();
  }

  private static void assertVariableQueryFindsValues(String query) throws Exception {
    Matcher labelValues = LABEL_VALUES.matcher(query.strip());
    assertThat(labelValues.matches())
        .as("a label_values(<selector>, <label>) variable: " + query)
        .isTrue();
    JsonNode series = query(labelValues.group(1));
    assertThat(series).as("no series for variable query " + query).isNotEmpty();
    assertThat(series).anyMatch(s -> s.path("metric").has(labelValues.group(2)));
  }

  /** The result of an instant query; fails on any error Prometheus reports. */
  private static JsonNode query(String promql) throws Exception {
    JsonNode body =
        api(
            prometheusUrl
                + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    assertThat(body.path("status").asString()).as(promql + " → " + body).isEqualTo("success");
    assertThat(body.path("warnings").isMissingNode() || body.path("warnings").isEmpty())
        .as(promql + " → " + body)
        .isTrue();
    return body.path("data").path("result");
  }

  private static JsonNode api(String url) throws Exception {
    HttpResponse<String> response =
        Api.HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
    return Api.JSON.readTree(response.body());
  }

  /**
   * Grafana's interval variables become fixed windows; a dashboard variable matches all of its
   * values.
   */
  private static String substitute(String expr, Set<String> dashboardVariables) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      String value = GRAFANA_INTERVALS.get(name);
      if (value == null) {
        assertThat(dashboardVariables)
            .as("variable $" + name + " in " + expr + " is defined by its dashboard")
            .contains(name);
        value = ".*";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static void collectPanels(JsonNode panels, List<JsonNode> into) {
    for (JsonNode panel : panels) {
      if (panel.has("targets")) into.add(panel);
      collectPanels(panel.path("panels"), into);
    }
  }

  /**
   * True when no comparison, {@code and}, {@code or} or {@code unless} sits outside parentheses.
   */
  private static boolean topLevel(String measurement) {
    int depth = 0;
    boolean quoted = false;
    StringBuilder outside = new StringBuilder();
    for (char c : measurement.toCharArray()) {
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '(' || c == '{' || c == '[') depth++;
      else if (c == ')' || c == '}' || c == ']') depth--;
      else if (depth == 0) outside.append(c);
    }
    return !Pattern.compile("==|!=|>=|<=|>|<|\\band\\b|\\bor\\b|\\bunless\\b")
        .matcher(outside)
        .find();
  }
}
