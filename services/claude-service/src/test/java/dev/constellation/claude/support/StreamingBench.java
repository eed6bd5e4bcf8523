package dev.constellation.claude.support;

import dev.constellation.claude.ClaudeServiceApplication;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.fakeanthropic.FakeAnthropic;
import dev.constellation.localstack.TestInfrastructure;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Time to first delta and per-delta delay that claude-service (and the gateway, when
 * BENCH_GATEWAY_URL is set) adds over calling the fake Anthropic API directly, in one run. Fake,
 * service and client share one JVM, so each delta's latency is measured from the instant the fake
 * wrote it to the instant the client read it, on the same clock.
 *
 * <p>Usage: {@code StreamingBench [runs] [chunks] [delayMs]}; see bench/claude/README.md.
 */
public final class StreamingBench {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private record Sample(double firstDeltaMs, List<Double> deltaLatenciesMs) {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int chunks = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    long delayMs = args.length > 2 ? Long.parseLong(args[2]) : 10;
    String gateway = System.getenv("BENCH_GATEWAY_URL");

    FakeAnthropic fake = new FakeAnthropic();
    var codec = ServiceClient.CODEC;
    FakeNeighbours neighbours = new FakeNeighbours(codec);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < chunks; i++) parts.add("token" + i + " ");
    fake.defaultReply(new FakeAnthropic.Text(parts, Duration.ofMillis(delayMs), 120, 0, 0));
    neighbours.member("bench-project", "bench-user", "EDITOR");
    neighbours.file("bench-project", "src/Main.java", "class Main {}\n");

    // Command-line arguments, because application.yml would override default properties.
    Map<String, String> settings =
        Map.of(
            "server.port", System.getenv().getOrDefault("BENCH_SERVICE_PORT", "0"),
            "spring.mongodb.uri", TestInfrastructure.mongo().uri(),
            "spring.data.redis.url", TestInfrastructure.redis().url(),
            "constellation.auth.jwt-secret", TestInfrastructure.JWT_SECRET,
            "constellation.services.project-url", neighbours.baseUrl(),
            "constellation.claude.workspace-url", neighbours.baseUrl(),
            "constellation.claude.anthropic.api-key", FakeAnthropic.API_KEY,
            "constellation.claude.anthropic.base-url", fake.baseUrl(),
            "logging.level.root", "WARN");
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(ClaudeServiceApplication.class)
            .run(
                settings.entrySet().stream()
                    .map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new));
    int port = app.getEnvironment().getProperty("local.server.port", Integer.class);
    String service = "http://127.0.0.1:" + port;
    String token =
        codec.sign(
            new AuthenticatedUser("bench-user", "bench@example.test", Set.of("USER")),
            Duration.ofHours(1));

    try {
      // Warm-up: JIT, connection pools, first Mongo writes.
      for (int i = 0; i < 5; i++) {
        direct(fake);
        viaService(fake, service, token);
      }
      List<Sample> direct = new ArrayList<>();
      List<Sample> viaService = new ArrayList<>();
      List<Sample> viaGateway = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        direct.add(direct(fake));
        viaService.add(viaService(fake, service, token));
        if (gateway != null) viaGateway.add(viaService(fake, gateway, token));
      }
      System.out.printf("runs=%d chunks=%d delay=%dms%n", runs, chunks, delayMs);
      System.out.println(
          "| path | time to first delta p50 / p95 (ms) | per-delta latency p50 / p95 (ms) |");
      System.out.println("|---|---|---|");
      print("fake Anthropic, direct (SDK-free HTTP client)", direct);
      print("through claude-service", viaService);
      if (gateway != null) print("through gateway + claude-service", viaGateway);
      System.out.printf(
          "added by claude-service: first delta p50 %.1f ms, per delta p50 %.2f ms%n",
          p(firsts(viaService), 50) - p(firsts(direct), 50),
          p(latencies(viaService), 50) - p(latencies(direct), 50));
    } finally {
      app.close();
      fake.close();
      neighbours.close();
      System.exit(0);
    }
  }

  private static Sample direct(FakeAnthropic fake) throws Exception {
    fake.reset();
    byte[] body =
        JSON.writeValueAsBytes(
            Map.of(
                "model",
                "claude-sonnet-4-5",
                "max_tokens",
                1024,
                "stream",
                true,
                "messages",
                List.of(Map.of("role", "user", "content", "hi"))));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/messages"))
            .header("x-api-key", FakeAnthropic.API_KEY)
            .header("anthropic-version", "2023-06-01")
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return measure(fake, request, "content_block_delta");
  }

  private static Sample viaService(FakeAnthropic fake, String base, String token) throws Exception {
    var created =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/projects/bench-project/conversations"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String cid = JSON.readTree(created.body()).get("id").asString();
    fake.reset();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/api/conversations/" + cid + "/messages"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"hi\"}"))
            .build();
    return measure(fake, request, "delta");
  }

  private static Sample measure(FakeAnthropic fake, HttpRequest request, String deltaEvent)
      throws Exception {
    long start = System.nanoTime();
    HttpResponse<java.io.InputStream> response =
        HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    List<Long> arrivals = new ArrayList<>();
    try (var reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("event:") && line.substring(6).trim().equals(deltaEvent))
          arrivals.add(System.nanoTime());
      }
    }
    List<Long> writes = fake.deltaWrites();
    List<Double> latencies = new ArrayList<>();
    for (int i = 0; i < Math.min(writes.size(), arrivals.size()); i++)
      latencies.add((arrivals.get(i) - writes.get(i)) / 1e6);
    return new Sample((arrivals.get(0) - start) / 1e6, latencies);
  }

  private static List<Double> firsts(List<Sample> samples) {
    return samples.stream().map(Sample::firstDeltaMs).toList();
  }

  private static List<Double> latencies(List<Sample> samples) {
    return samples.stream().flatMap(s -> s.deltaLatenciesMs().stream()).toList();
  }

  private static void print(String name, List<Sample> samples) {
    System.out.printf(
        "| %s | %.1f / %.1f | %.2f / %.2f |%n",
        name,
        p(firsts(samples), 50),
        p(firsts(samples), 95),
        p(latencies(samples), 50),
        p(latencies(samples), 95));
  }

  private static double p(List<Double> values, int percentile) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return sorted[
        Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
  }
}
