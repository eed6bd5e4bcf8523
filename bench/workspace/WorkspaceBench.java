import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Workspace benchmarks against a running stack, each next to its baseline in the same run:
 * start (API vs raw docker), keystroke echo (gateway vs workspace-service vs `docker exec -it`),
 * file write/read (gateway vs workspace-service). Run through bench/workspace/run.sh, which starts
 * and stops the stack; this file only needs a JDK 17 (`java WorkspaceBench.java`).
 *
 * Settings (environment): GATEWAY, WORKSPACE (base URLs), IMAGE, START_REPS, KEYS, FILE_OPS,
 * BENCH_LABEL (put on the raw containers so run.sh can remove them whatever happens).
 */
public class WorkspaceBench {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B\\][^\u0007]*\u0007|\u001B[=>]|\r");
  static final Pattern JSON_STRING = Pattern.compile("\"%s\"\\s*:\\s*\"([^\"]*)\"");

  static String gateway = env("GATEWAY", "http://127.0.0.1:8000");
  static String workspace = env("WORKSPACE", "http://127.0.0.1:8003");
  static String image = env("IMAGE", "constellation/workspace:local");
  static String benchLabel = env("BENCH_LABEL", "dev.constellation.bench=" + UUID.randomUUID());
  static int startReps = Integer.parseInt(env("START_REPS", "8"));
  static int keys = Integer.parseInt(env("KEYS", "300"));
  static int fileOps = Integer.parseInt(env("FILE_OPS", "300"));
  static String token;
  static final List<String> projects = new ArrayList<>();
  static final List<String> rawContainers = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    token = register();
    try {
      starts();
      resumes();
      String project = projects.get(0);
      api(gateway, "POST", "/api/projects/" + project + "/workspace/start", null, 200);
      echo(project);
      files(project);
    } finally {
      for (String id : rawContainers) docker("rm", "-f", id);
      for (String id : projects) {
        try {
          api(gateway, "DELETE", "/api/projects/" + id, null, 204);
        } catch (Exception e) {
          System.err.println("could not delete project " + id + ": " + e.getMessage());
        }
      }
    }
  }

  // ---- start -------------------------------------------------------------------------------

  static void starts() throws Exception {
    Map<String, List<Double>> ms = new LinkedHashMap<>();
    for (String k : List.of("api cold", "api cold start only", "raw cold", "api warm", "api warm start only", "raw warm")) {
      ms.put(k, new ArrayList<>());
    }
    // One unrecorded round: the first container of a run pays for cold page cache and JIT.
    for (int rep = -1; rep < startReps; rep++) {
      boolean apiFirst = rep % 2 == 0;
      String project = createProject("bench-start-" + (rep + 1));
      String raw = null;
      for (int side = 0; side < 2; side++) {
        if ((side == 0) == apiFirst) {
          long t0 = System.nanoTime();
          api(gateway, "POST", "/api/projects/" + project + "/workspace/start", null, 200);
          long t1 = System.nanoTime();
          execTrue(project);
          long t2 = System.nanoTime();
          record(ms, rep, "api cold", t2 - t0);
          record(ms, rep, "api cold start only", t1 - t0);
        } else {
          long t0 = System.nanoTime();
          raw = docker("run", "-d", "--init", "--label", benchLabel, image, "sleep", "infinity").trim();
          rawContainers.add(raw);
          docker("exec", raw, "true");
          record(ms, rep, "raw cold", System.nanoTime() - t0);
        }
      }
      api(gateway, "POST", "/api/projects/" + project + "/workspace/stop", null, 200);
      docker("stop", "-t", "5", raw);
      for (int side = 0; side < 2; side++) {
        if ((side == 0) == apiFirst) {
          long t0 = System.nanoTime();
          api(gateway, "POST", "/api/projects/" + project + "/workspace/start", null, 200);
          long t1 = System.nanoTime();
          execTrue(project);
          long t2 = System.nanoTime();
          record(ms, rep, "api warm", t2 - t0);
          record(ms, rep, "api warm start only", t1 - t0);
        } else {
          long t0 = System.nanoTime();
          docker("start", raw);
          docker("exec", raw, "true");
          record(ms, rep, "raw warm", System.nanoTime() - t0);
        }
      }
      api(gateway, "POST", "/api/projects/" + project + "/workspace/stop", null, 200);
      docker("rm", "-f", raw);
      rawContainers.remove(raw);
    }
    System.out.printf("%n### Start (%d repetitions after one unrecorded, ms)%n%n", startReps);
    System.out.println("| what | p50 | p90 | min | max |");
    System.out.println("|---|---:|---:|---:|---:|");
    Map<String, String> labels = Map.of(
        "api cold", "cold, API: `POST …/workspace/start` (creates the container) + exec `true`, via the gateway",
        "api cold start only", "… of which `POST …/workspace/start`",
        "raw cold", "cold, raw: `docker run -d --init` + `docker exec … true`",
        "api warm", "warm, API: `POST …/workspace/start` of a stopped workspace + exec `true`, via the gateway",
        "api warm start only", "… of which `POST …/workspace/start`",
        "raw warm", "warm, raw: `docker start` + `docker exec … true`");
    Map<String, Double> p50 = new LinkedHashMap<>();
    for (var e : ms.entrySet()) {
      double[] v = sorted(e.getValue());
      p50.put(e.getKey(), pct(v, 0.50));
      System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f |%n", labels.get(e.getKey()),
          pct(v, 0.50), pct(v, 0.90), v[0], v[v.length - 1]);
    }
    summary("workspace resume from stopped (→ exec true), p50", p50.get("api warm"),
        String.format("%.0f ms `docker start`+`docker exec`", p50.get("raw warm")), "≤ 1.1×",
        p50.get("api warm") <= 1.1 * p50.get("raw warm"));
    summary("workspace cold start (created → exec true), p50", p50.get("api cold"),
        String.format("%.0f ms `docker run`+`docker exec`", p50.get("raw cold")), "≤ 1.1×",
        p50.get("api cold") <= 1.1 * p50.get("raw cold"));
  }

  /** One headline row for bench/run-all.sh's table (format in the common brief). */
  static void summary(String what, double now, String baseline, String goal, boolean met) {
    System.out.printf("SUMMARY|%s|%.0f ms|%s|%s|%s%n", what, now, baseline, goal, met ? "yes" : "no");
  }

  // ---- resume from paused (issue 12) ---------------------------------------------------------

  /**
   * Resume: a paused workspace (`POST …/workspace/pause`) → `exec true` returns, through the
   * gateway (the exec resumes it), against a raw container paused with `docker pause` and brought
   * back with `docker unpause` + `docker exec true`, and against the baseline, a stopped
   * container brought back with `docker start` + `docker exec true`. Sides alternate per repetition.
   */
  static void resumes() throws Exception {
    Map<String, List<Double>> ms = new LinkedHashMap<>();
    for (String k : List.of("api resume", "api running", "raw unpause", "raw start")) ms.put(k, new ArrayList<>());
    String project = createProject("bench-resume");
    api(gateway, "POST", "/api/projects/" + project + "/workspace/start", null, 200);
    execTrue(project);
    String raw = docker("run", "-d", "--init", "--label", benchLabel, image, "sleep", "infinity").trim();
    rawContainers.add(raw);
    docker("exec", raw, "true");
    for (int rep = -1; rep < startReps; rep++) {
      boolean apiFirst = rep % 2 == 0;
      for (int side = 0; side < 2; side++) {
        if ((side == 0) == apiFirst) {
          // The floor: the same exec on the workspace while it runs.
          long t0 = System.nanoTime();
          execTrue(project);
          record(ms, rep, "api running", System.nanoTime() - t0);
          api(gateway, "POST", "/api/projects/" + project + "/workspace/pause", null, 200);
          t0 = System.nanoTime();
          execTrue(project);
          record(ms, rep, "api resume", System.nanoTime() - t0);
        } else {
          docker("pause", raw);
          long t0 = System.nanoTime();
          docker("unpause", raw);
          docker("exec", raw, "true");
          record(ms, rep, "raw unpause", System.nanoTime() - t0);
          docker("stop", "-t", "5", raw);
          t0 = System.nanoTime();
          docker("start", raw);
          docker("exec", raw, "true");
          record(ms, rep, "raw start", System.nanoTime() - t0);
        }
      }
    }
    docker("rm", "-f", raw);
    rawContainers.remove(raw);
    System.out.printf("%n### Resume from paused (%d repetitions after one unrecorded, ms)%n%n", startReps);
    System.out.println("| what | p50 | p90 | min | max |");
    System.out.println("|---|---:|---:|---:|---:|");
    Map<String, String> labels = Map.of(
        "api resume", "API: paused workspace → `POST …/exec` `true` returns (the exec resumes it), via the gateway",
        "api running", "… the same exec on the running workspace (the floor: no resume)",
        "raw unpause", "raw: `docker unpause` + `docker exec … true` of a paused container",
        "raw start", "raw: `docker start` + `docker exec … true` of a stopped container (the issue's baseline)");
    Map<String, Double> p50 = new LinkedHashMap<>();
    for (var e : ms.entrySet()) {
      double[] v = sorted(e.getValue());
      p50.put(e.getKey(), pct(v, 0.50));
      System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f |%n", labels.get(e.getKey()),
          pct(v, 0.50), pct(v, 0.90), v[0], v[v.length - 1]);
    }
    double resume = p50.get("api resume");
    summary("workspace resume (paused → exec true), p50", resume,
        String.format("%.0f ms `docker start`+`docker exec`", p50.get("raw start")), "≤ 150 ms",
        resume <= 150 && resume < p50.get("raw start"));
    summary("workspace resume vs `docker unpause`+`docker exec`, p50", resume,
        String.format("%.0f ms `docker unpause`+`docker exec`", p50.get("raw unpause")), "≤ 150 ms",
        resume <= 150);
  }

  static void execTrue(String project) throws Exception {
    String body = api(gateway, "POST", "/api/projects/" + project + "/exec", "{\"command\":\"true\"}", 200);
    if (!body.replace(" ", "").contains("\"exitCode\":0")) throw new IllegalStateException("exec true: " + body);
  }

  static void record(Map<String, List<Double>> ms, int rep, String key, long nanos) {
    if (rep >= 0) ms.get(key).add(nanos / 1e6);
  }

  // ---- keystroke echo ----------------------------------------------------------------------

  /** A shell whose output arrives on another thread: wait for a marker, type, wait for the echo. */
  abstract static class Shell implements AutoCloseable {
    private final StringBuilder out = new StringBuilder();

    abstract void send(byte[] bytes) throws Exception;

    synchronized void received(byte[] bytes, int length) {
      out.append(new String(bytes, 0, length, StandardCharsets.UTF_8));
      notifyAll();
    }

    synchronized void clear() {
      out.setLength(0);
    }

    synchronized boolean await(String text, long timeoutMillis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (!ANSI.matcher(out).replaceAll("").contains(text)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) return false;
        wait(left);
      }
      return true;
    }

    synchronized String text() {
      return ANSI.matcher(out).replaceAll("");
    }

    /**
     * Replaces bash by `cat`, so the echo comes from the tty's line discipline and nothing else
     * writes to the screen: each typed letter comes back as exactly that letter.
     */
    void prepare() throws Exception {
      send("stty -echoctl; echo bench-''ready; exec cat > /dev/null\r".getBytes(StandardCharsets.UTF_8));
      if (!await("bench-ready", 30_000)) throw new IllegalStateException("shell did not answer: " + text());
      Thread.sleep(300);
      clear();
    }

    double keystroke(char c) throws Exception {
      clear();
      long t0 = System.nanoTime();
      send(new byte[] {(byte) c});
      if (!await(String.valueOf(c), 10_000)) throw new IllegalStateException("no echo of " + c + ": " + text());
      return (System.nanoTime() - t0) / 1e6;
    }

    void newline() throws Exception {
      clear();
      send(new byte[] {'\r'});
      if (!await("\n", 10_000)) throw new IllegalStateException("no newline echo: " + text());
    }
  }

  static final class WebSocketShell extends Shell implements WebSocket.Listener {
    final WebSocket socket;

    WebSocketShell(String base, String project, String ticket) throws Exception {
      String ws = base.replaceFirst("^http", "ws") + "/api/projects/" + project + "/terminal?ticket="
          + URLEncoder.encode(ticket, StandardCharsets.UTF_8);
      // The terminal handshake admits only the IDE's own origin (issue 8): a browser sends it.
      socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20)).header("Origin", base)
          .buildAsync(URI.create(ws), this).get(30, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      received(bytes, bytes.length);
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
      received(bytes, bytes.length);
      ws.request(1);
      return null;
    }

    @Override
    void send(byte[] bytes) {
      socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    @Override
    public void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done").join();
    }
  }

  /** `docker exec -it` needs a tty on its side: `script` gives it one, as a terminal emulator would. */
  static final class DockerExecShell extends Shell {
    final Process process;
    final OutputStream stdin;

    DockerExecShell(String container) throws IOException {
      String command = "docker exec -it -u 1000 -w /workspace -e TERM=xterm-256color " + container + " bash -l";
      process = new ProcessBuilder("script", "-qfec", command, "/dev/null").redirectErrorStream(true).start();
      stdin = process.getOutputStream();
      Thread reader = new Thread(() -> {
        byte[] buffer = new byte[4096];
        try (InputStream in = process.getInputStream()) {
          int n;
          while ((n = in.read(buffer)) > 0) received(buffer, n);
        } catch (IOException closed) {
          // the session ended
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    @Override
    void send(byte[] bytes) throws IOException {
      stdin.write(bytes);
      stdin.flush();
    }

    @Override
    public void close() throws Exception {
      stdin.write(4); // Ctrl-D ends cat, then the session
      stdin.flush();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }

  static void echo(String project) throws Exception {
    String container = docker("ps", "-q", "--filter", "label=dev.constellation.project-id=" + project).trim();
    if (container.isEmpty() || container.contains("\n")) throw new IllegalStateException("no single container for " + project);
    Map<String, Shell> shells = new LinkedHashMap<>();
    shells.put("through the gateway (WebSocket proxy)", new WebSocketShell(gateway, project, ticket(gateway, project)));
    shells.put("straight to workspace-service", new WebSocketShell(workspace, project, ticket(workspace, project)));
    shells.put("`docker exec -it` (baseline)", new DockerExecShell(container));
    Map<String, List<Double>> ms = new LinkedHashMap<>();
    try {
      for (var e : shells.entrySet()) {
        e.getValue().prepare();
        ms.put(e.getKey(), new ArrayList<>());
        for (int i = 0; i < 20; i++) e.getValue().keystroke('w'); // warm-up, unrecorded
        e.getValue().newline();
      }
      // Rounds take turns so that drift in the machine's load hits every path alike.
      int rounds = 5;
      for (int round = 0; round < rounds; round++) {
        for (var e : shells.entrySet()) {
          Shell shell = e.getValue();
          for (int i = 0; i < keys / rounds; i++) {
            ms.get(e.getKey()).add(shell.keystroke((char) ('a' + i % 26)));
            if (i % 60 == 59) shell.newline();
          }
          shell.newline();
        }
      }
    } finally {
      for (Shell shell : shells.values()) {
        try {
          shell.close();
        } catch (Exception ignored) {
          // best effort: the stack is torn down next anyway
        }
      }
    }
    System.out.printf("%n### Keystroke echo (%d keystrokes per path, ms)%n%n", keys / 5 * 5);
    System.out.println("| path | p50 | p99 | max |");
    System.out.println("|---|---:|---:|---:|");
    for (var e : ms.entrySet()) {
      double[] v = sorted(e.getValue());
      System.out.printf("| %s | %.2f | %.2f | %.2f |%n", e.getKey(), pct(v, 0.50), pct(v, 0.99), v[v.length - 1]);
    }
    double viaGateway = pct(sorted(ms.get("through the gateway (WebSocket proxy)")), 0.99);
    double raw = pct(sorted(ms.get("`docker exec -it` (baseline)")), 0.99);
    System.out.printf("SUMMARY|terminal keystroke echo, p99|%.1f ms through the gateway|%.1f ms `docker exec -it`|≤ 2 × (%.1f ×)|%s%n",
        viaGateway, raw, viaGateway / raw, viaGateway <= 2 * raw ? "yes" : "no");
  }

  static String ticket(String base, String project) throws Exception {
    return field(api(base, "POST", "/api/projects/" + project + "/terminal/ticket", null, 200), "ticket");
  }

  // ---- files -------------------------------------------------------------------------------

  static void files(String project) throws Exception {
    byte[] content = new byte[4096];
    for (int i = 0; i < content.length; i++) content[i] = (byte) ('a' + i % 26);
    Map<String, String> bases = new LinkedHashMap<>();
    bases.put("through the gateway", gateway);
    bases.put("straight to workspace-service", workspace);
    Map<String, List<Double>> writes = new LinkedHashMap<>();
    Map<String, List<Double>> reads = new LinkedHashMap<>();
    for (String k : bases.keySet()) {
      writes.put(k, new ArrayList<>());
      reads.put(k, new ArrayList<>());
    }
    for (int i = -30; i < fileOps; i++) {
      List<String> order = new ArrayList<>(bases.keySet());
      if (i % 2 != 0) java.util.Collections.reverse(order);
      for (String k : order) {
        String path = "/api/projects/" + project + "/files/content?path=bench/file-" + Math.floorMod(i, 10) + ".txt";
        long t0 = System.nanoTime();
        send(bases.get(k), "PUT", path, HttpRequest.BodyPublishers.ofByteArray(content), "application/octet-stream", 200);
        long t1 = System.nanoTime();
        HttpResponse<byte[]> read = HTTP.send(request(bases.get(k), "GET", path, HttpRequest.BodyPublishers.noBody(), null),
            HttpResponse.BodyHandlers.ofByteArray());
        long t2 = System.nanoTime();
        if (read.statusCode() != 200 || !Arrays.equals(read.body(), content)) {
          throw new IllegalStateException("read " + path + " via " + k + ": " + read.statusCode());
        }
        if (i >= 0) {
          writes.get(k).add((t1 - t0) / 1e6);
          reads.get(k).add((t2 - t1) / 1e6);
        }
      }
    }
    System.out.printf("%n### Files (4 KiB file, %d writes and %d reads per path, ms)%n%n", fileOps, fileOps);
    System.out.println("| path | write p50 | write p99 | read p50 | read p99 |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (String k : bases.keySet()) {
      double[] w = sorted(writes.get(k));
      double[] r = sorted(reads.get(k));
      System.out.printf("| %s | %.2f | %.2f | %.2f | %.2f |%n", k, pct(w, 0.5), pct(w, 0.99), pct(r, 0.5), pct(r, 0.99));
    }
    double viaGateway = pct(sorted(reads.get("through the gateway")), 0.5);
    double direct = pct(sorted(reads.get("straight to workspace-service")), 0.5);
    System.out.printf("SUMMARY|4 KiB file read, p50|%.1f ms through the gateway|%.1f ms straight to workspace-service|≤ 3 ms through the gateway|%s%n",
        viaGateway, direct, viaGateway <= 3 ? "yes" : "no");
  }

  // ---- plumbing ----------------------------------------------------------------------------

  static String register() throws Exception {
    String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    String password = "bench password " + UUID.randomUUID();
    String body = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"displayName\":\"Bench\"}";
    token = null;
    // Sign-up answers 202 without tokens (it must not reveal taken emails): sign in next.
    api(gateway, "POST", "/api/auth/register", body, 202);
    return field(api(gateway, "POST", "/api/auth/login",
        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", 200), "accessToken");
  }

  static String createProject(String name) throws Exception {
    String id = field(api(gateway, "POST", "/api/projects", "{\"name\":\"" + name + "\",\"templateId\":\"blank\"}", 201), "id");
    projects.add(id);
    return id;
  }

  static String api(String base, String method, String path, String json, int expected) throws Exception {
    var body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
    return send(base, method, path, body, json == null ? null : "application/json", expected);
  }

  static String send(String base, String method, String path, HttpRequest.BodyPublisher body, String type, int expected)
      throws Exception {
    HttpResponse<String> response = HTTP.send(request(base, method, path, body, type), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(method + " " + base + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  static HttpRequest request(String base, String method, String path, HttpRequest.BodyPublisher body, String type) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120)).method(method, body);
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (type != null) b.header("Content-Type", type);
    return b.build();
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile(String.format(JSON_STRING.pattern(), Pattern.quote(name))).matcher(json);
    if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
    return m.group(1);
  }

  static String docker(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  static double[] sorted(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /** Nearest-rank percentile. */
  static double pct(double[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
