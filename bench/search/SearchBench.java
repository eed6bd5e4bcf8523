import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Find in files over a generated project of FILES files (default 50,000; 500 folders of 100 files
 * of 20 lines, one file in 50 holding the needle): through the gateway while the workspace runs
 * (ripgrep inside it) — time to the first result line and to the summary —, the same `rg` run
 * directly in the same container (`docker exec`, same flags), and through the gateway once the
 * workspace is stopped (the server's walk). Run through bench/search/run.sh; needs only a JDK 17.
 *
 * <p>Settings (environment): GATEWAY (base URL), REPS (default 5), FILES (default 50000).
 */
public class SearchBench {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  static String gateway = env("GATEWAY", "http://127.0.0.1:8000");
  static int reps = Integer.parseInt(env("REPS", "5"));
  static int files = Integer.parseInt(env("FILES", "50000"));
  static String token;
  static final java.util.Set<String> timedOut = new java.util.TreeSet<>();

  static final String QUERY = "{\"query\":\"needle_[0-9]+\",\"regex\":true,\"maxResults\":10000}";
  // The flags workspace-service gives ripgrep (RipgrepSearch.command), with the same expression.
  static final List<String> RG =
      List.of(
          "rg", "--json", "--no-config", "--hidden", "--no-follow", "--no-ignore-dot",
          "--no-ignore-global", "--no-ignore-parent", "--no-ignore-exclude", "--no-require-git",
          "--max-filesize", "1048576", "--max-count", "10000", "--glob", "!.git", "--glob",
          "!.constellation-write-*", "-e", "needle_[0-9]+", "--", ".");

  public static void main(String[] args) throws Exception {
    token = register();
    String project =
        field(
            api("POST", "/api/projects", "{\"name\":\"bench-search\",\"templateId\":\"blank\"}", 201),
            "id");
    api("POST", "/api/projects/" + project + "/workspace/start", null, 200);
    String container =
        docker("ps", "-q", "--filter", "label=dev.constellation.project-id=" + project).trim();
    int dirs = Math.max(1, files / 100);
    String generate =
        "python3 - <<'PY'\n"
            + "import os\n"
            + "for d in range("
            + dirs
            + "):\n"
            + "  os.makedirs(f'src/d{d}', exist_ok=True)\n"
            + "  for f in range(100):\n"
            + "    n = d * 100 + f\n"
            + "    lines = [f'line {i} of file {n}: lorem ipsum dolor sit amet' for i in range(20)]\n"
            + "    if n % 50 == 0: lines[7] = f'here is needle_{n} in the middle'\n"
            + "    open(f'src/d{d}/f{f}.txt', 'w').write('\\n'.join(lines) + '\\n')\n"
            + "PY\nfind src -type f | wc -l";
    long t0 = System.nanoTime();
    String made =
        api(
            "POST",
            "/api/projects/" + project + "/exec",
            "{\"command\":" + quote(generate) + ",\"timeoutSeconds\":600}",
            200);
    System.out.printf("generated %s files in %.0f s%n", field(made, "stdout").trim(), ms(t0) / 1000);
    int expected = (dirs * 100 + 49) / 50;

    List<double[]> viaGateway = new ArrayList<>();
    List<double[]> direct = new ArrayList<>();
    for (int rep = -1; rep < reps; rep++) {
      double[] g = search(project, "ripgrep", expected);
      if (rep >= 0) viaGateway.add(g);
      List<String> command = new ArrayList<>(List.of("exec", "-u", "1000", "-w", "/workspace", container));
      command.addAll(RG);
      long d0 = System.nanoTime();
      String out = docker(command.toArray(String[]::new));
      double d = ms(d0);
      int found = count(out, "\"type\":\"match\"");
      if (found != expected) throw new IllegalStateException("rg found " + found + ", expected " + expected);
      if (rep >= 0) direct.add(new double[] {Double.NaN, d});
    }
    api("POST", "/api/projects/" + project + "/workspace/stop", null, 200);
    List<double[]> walk = new ArrayList<>();
    for (int rep = -1; rep < reps; rep++) {
      double[] w = search(project, "walk", expected);
      if (rep >= 0) walk.add(w);
    }
    System.out.printf("%n%d files, %d matches, %d repetitions (p50, ms)%n%n", dirs * 100, expected, reps);
    System.out.println("| search | first result | complete |");
    System.out.println("|---|---|---|");
    row("gateway → workspace-service → rg in the workspace (running)", viaGateway);
    row("`docker exec` rg in the same container, same flags (baseline)", direct);
    row("gateway → workspace-service walk (workspace stopped)", walk);
    if (!timedOut.isEmpty())
      System.out.println("\nStopped at the 20 s bound (incomplete) at least once: " + timedOut);
    api("DELETE", "/api/projects/" + project, null, 204);
  }

  static void row(String name, List<double[]> rows) {
    System.out.printf("| %s | %s | %s |%n", name, p50(rows, 0), p50(rows, 1));
  }

  /** One search through the gateway: ms to the first file line and to the summary. */
  static double[] search(String project, String engine, int expected) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway + "/api/projects/" + project + "/search"))
            .timeout(Duration.ofSeconds(120))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(QUERY))
            .build();
    long t0 = System.nanoTime();
    HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200)
      throw new IllegalStateException("search answered " + response.statusCode());
    double first = Double.NaN;
    String done = null;
    int matches = 0;
    try (var reader =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.contains("\"done\":true")) {
          done = line;
          break;
        }
        if (Double.isNaN(first)) first = ms(t0);
        matches += count(line, "\"line\":");
      }
    }
    double complete = ms(t0);
    if (done == null || !done.contains("\"engine\":\"" + engine + "\""))
      throw new IllegalStateException("expected the " + engine + " engine: " + done);
    if (done.contains("\"timedOut\":true")) {
      timedOut.add(engine);
      return new double[] {first, complete};
    }
    if (matches != expected)
      throw new IllegalStateException(engine + " found " + matches + ", expected " + expected + ": " + done);
    return new double[] {first, complete};
  }

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
    return n;
  }

  static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  static String p50(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    double m = v[Math.max(0, (int) Math.ceil(0.5 * v.length) - 1)];
    return Double.isNaN(m) ? "–" : String.format("%.0f", m);
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }

  static String register() throws Exception {
    String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    String password = "bench password " + UUID.randomUUID();
    api(
        "POST",
        "/api/auth/register",
        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"displayName\":\"Bench\"}",
        202);
    return field(
        api(
            "POST",
            "/api/auth/login",
            "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}",
            200),
        "accessToken");
  }

  static String api(String method, String path, String json, int expected) throws Exception {
    var body =
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(gateway + path))
            .timeout(Duration.ofSeconds(700))
            .method(method, body);
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (json != null) b.header("Content-Type", "application/json");
    HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected)
      throw new IllegalStateException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    return response.body();
  }

  static String field(String json, String name) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
            .matcher(json);
    if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
    return m.group(1).replace("\\n", "\n");
  }

  static String docker(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || (p.exitValue() != 0 && p.exitValue() != 1))
      throw new IllegalStateException(String.join(" ", command) + ": " + out);
    return out;
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
