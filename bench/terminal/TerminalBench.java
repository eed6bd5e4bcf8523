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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reattaching a terminal session against a fresh shell, same run: socket open → scrollback (3000
 * lines of history and the screen) fully received → echo of a new command, next to a fresh
 * session's first echo and a fresh `docker exec -it` shell's first echo. Run through
 * bench/terminal/run.sh; needs only a JDK 17 (`java TerminalBench.java`).
 *
 * Settings (environment): GATEWAY (base URL), REPS (default 10), HISTORY (lines, default 3000).
 */
public class TerminalBench {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B\\][^\u0007]*\u0007|\u001B[=>]|\r");
  static String gateway = env("GATEWAY", "http://127.0.0.1:8000");
  static int reps = Integer.parseInt(env("REPS", "10"));
  static int history = Integer.parseInt(env("HISTORY", "3000"));
  static String token;

  public static void main(String[] args) throws Exception {
    token = register();
    String project = field(api("POST", "/api/projects", "{\"name\":\"bench-terminal\",\"templateId\":\"blank\"}", 201), "id");
    try {
      api("POST", "/api/projects/" + project + "/workspace/start", null, 200);
      String container = docker("ps", "-q", "--filter", "label=dev.constellation.project-id=" + project).trim();
      String session;
      try (Ws fill = new Ws(project, "")) {
        session = fill.session(30_000);
        fill.send("seq 1 " + history + " | sed 's/^/hist-/'; echo fill-''done\r");
        if (!fill.await("fill-done", 60_000)) throw new IllegalStateException("no fill: " + fill.text());
      }
      Map<String, List<double[]>> ms = new LinkedHashMap<>();
      ms.put("reattach (session=, " + history + " lines of history)", new ArrayList<>());
      ms.put("new session (tmux new-session + attach)", new ArrayList<>());
      ms.put("fresh `docker exec -it bash -l` (baseline)", new ArrayList<>());
      long replayBytes = 0;
      for (int rep = -1; rep < reps; rep++) { // one unrecorded warm-up round
        long t0 = System.nanoTime();
        try (Ws ws = new Ws(project, "&session=" + session)) {
          double open = ms(t0);
          if (!ws.await("fill-done", 30_000)) throw new IllegalStateException("no scrollback: " + ws.text());
          double scrollback = ms(t0);
          if (rep == 0) replayBytes = ws.bytes;
          ws.send("echo r-" + rep + "-''x\r");
          if (!ws.await("r-" + rep + "-x", 30_000)) throw new IllegalStateException("no echo: " + ws.text());
          if (rep >= 0) ms.get(ms.keySet().toArray()[0]).add(new double[] {open, scrollback, ms(t0)});
        }
        t0 = System.nanoTime();
        String fresh;
        try (Ws ws = new Ws(project, "")) {
          double open = ms(t0);
          fresh = ws.session(30_000);
          ws.send("echo n-" + rep + "-''x\r");
          if (!ws.await("n-" + rep + "-x", 30_000)) throw new IllegalStateException("no echo: " + ws.text());
          if (rep >= 0) ms.get(ms.keySet().toArray()[1]).add(new double[] {open, Double.NaN, ms(t0)});
        }
        api("DELETE", "/api/projects/" + project + "/terminals/" + fresh, null, 204);
        t0 = System.nanoTime();
        try (Exec shell = new Exec(container)) {
          shell.send("echo b-" + rep + "-''x\r");
          if (!shell.await("b-" + rep + "-x", 30_000)) throw new IllegalStateException("no echo: " + shell.text());
          if (rep >= 0) ms.get(ms.keySet().toArray()[2]).add(new double[] {Double.NaN, Double.NaN, ms(t0)});
        }
      }
      System.out.printf("%n### Terminal reattach (%d runs, ms from the start of the connection; replay %d bytes)%n%n", reps, replayBytes);
      System.out.println("| path | socket open p50 | scrollback received p50 | echo of a new command p50 | echo max |");
      System.out.println("|---|---:|---:|---:|---:|");
      for (var e : ms.entrySet()) {
        System.out.printf("| %s | %s | %s | %.0f | %.0f |%n", e.getKey(), p50(e.getValue(), 0), p50(e.getValue(), 1),
            median(e.getValue(), 2), e.getValue().stream().mapToDouble(v -> v[2]).max().orElse(0));
      }
    } finally {
      api("DELETE", "/api/projects/" + project, null, 204);
    }
  }

  static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  static double median(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v[Math.max(0, (int) Math.ceil(0.5 * v.length) - 1)];
  }

  static String p50(List<double[]> rows, int column) {
    double m = median(rows, column);
    return Double.isNaN(m) ? "–" : String.format("%.0f", m);
  }

  abstract static class Shell implements AutoCloseable {
    private final StringBuilder out = new StringBuilder();
    long bytes;

    abstract void send(String text) throws Exception;

    synchronized void received(byte[] data, int length) {
      bytes += length;
      out.append(new String(data, 0, length, StandardCharsets.UTF_8));
      notifyAll();
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
  }

  static final class Ws extends Shell implements WebSocket.Listener {
    final WebSocket socket;
    private String control = "";

    Ws(String project, String query) throws Exception {
      String ticket = field(api("POST", "/api/projects/" + project + "/terminal/ticket", null, 200), "ticket");
      String uri = gateway.replaceFirst("^http", "ws") + "/api/projects/" + project + "/terminal?ticket="
          + URLEncoder.encode(ticket, StandardCharsets.UTF_8) + query;
      socket = HTTP.newWebSocketBuilder().header("Origin", gateway).connectTimeout(Duration.ofSeconds(20))
          .buildAsync(URI.create(uri), this).get(30, TimeUnit.SECONDS);
    }

    synchronized String session(long timeoutMillis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (!control.contains("\"id\"")) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) throw new IllegalStateException("no session message");
        wait(left);
      }
      return field(control, "id");
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      received(b, b.length);
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      synchronized (this) {
        control += data;
        notifyAll();
      }
      ws.request(1);
      return null;
    }

    @Override
    void send(String text) {
      socket.sendBinary(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true).join();
    }

    @Override
    public void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench").join();
    }
  }

  /** `docker exec -it` needs a tty on its side: `script` gives it one, as a terminal emulator would. */
  static final class Exec extends Shell {
    final Process process;
    final OutputStream stdin;

    Exec(String container) throws IOException {
      String command = "docker exec -it -u 1000 -w /workspace -e TERM=xterm-256color " + container + " bash -l";
      process = new ProcessBuilder("script", "-qfec", command, "/dev/null").redirectErrorStream(true).start();
      stdin = process.getOutputStream();
      Thread reader = new Thread(() -> {
        byte[] buffer = new byte[4096];
        try (InputStream in = process.getInputStream()) {
          int n;
          while ((n = in.read(buffer)) > 0) received(buffer, n);
        } catch (IOException closed) {
          // ended
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    @Override
    void send(String text) throws IOException {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }

    @Override
    public void close() throws Exception {
      stdin.write("exit\r".getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }

  static String register() throws Exception {
    String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    String password = "bench password " + UUID.randomUUID();
    api("POST", "/api/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"displayName\":\"Bench\"}", 202);
    return field(api("POST", "/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", 200), "accessToken");
  }

  static String api(String method, String path, String json, int expected) throws Exception {
    var body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(120)).method(method, body);
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (json != null) b.header("Content-Type", "application/json");
    HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected)
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    return response.body();
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
    return m.group(1);
  }

  static String docker(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + ": " + out);
    return out;
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
