import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Completion latency of a real TypeScript language server in a workspace, request sent → response
 * received, through the gateway's WebSocket (one JSON-RPC message per text frame) and straight to
 * another instance of the same server in the same container over `docker exec -i` (LSP's
 * Content-Length framing on stdio), interleaved in one run; and the resident memory of the
 * TypeScript (typescript-language-server + tsserver) and Python (pylsp) servers once they serve a
 * file. Run through bench/lsp/run.sh; needs only a JDK 17 (`java LspBench.java`).
 *
 * Settings (environment): GATEWAY (base URL), REPS (default 200).
 */
public class LspBench {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  static final String TS_SERVER = "/opt/constellation/lsp/node_modules/.bin/typescript-language-server";
  static final String MAIN_TS = "import * as http from 'http';\\nimport { greet } from './util';\\ngreet('x');\\nhttp.";
  static final String UTIL_TS = "export function greet(name: string): string {\n  return 'hi ' + name;\n}\n";
  static final String APP_PY = "import os\\nprint(os.getcwd(), undefined_name)\\n";
  static String gateway = env("GATEWAY", "http://127.0.0.1:8000");
  static int reps = Integer.parseInt(env("REPS", "200"));
  static String token;

  public static void main(String[] args) throws Exception {
    token = register();
    String project = field(api("POST", "/api/projects", "{\"name\":\"bench-lsp\",\"templateId\":\"blank\"}", 201), "id");
    try {
      put(project, "util.ts", UTIL_TS);
      api("POST", "/api/projects/" + project + "/workspace/start", null, 200);
      String container = docker("ps", "-q", "--filter", "label=dev.constellation.project-id=" + project).trim();

      Channel viaGateway = new WsChannel(project, "typescript");
      prepare(viaGateway, "typescript", "main.ts", MAIN_TS);
      long tsRss = rss(container, "typescript-language-server|tsserver|typingsInstaller");
      Channel direct = new StdioChannel(container, List.of(TS_SERVER, "--stdio"));
      prepare(direct, "typescript", "main.ts", MAIN_TS);

      double[] gw = new double[reps];
      double[] straight = new double[reps];
      for (int i = 0; i < reps; i++) { // interleaved: both see the same machine load
        gw[i] = completion(viaGateway);
        straight[i] = completion(direct);
      }
      viaGateway.close();
      direct.close();

      Channel python = new WsChannel(project, "python");
      python.request("initialize", init(), 120_000);
      python.notify("initialized", "{}");
      python.notify("textDocument/didOpen", didOpen("app.py", "python", APP_PY));
      if (!python.awaitText("undefined_name", 120_000)) throw new IllegalStateException("pylsp published nothing");
      long pyRss = rss(container, "pylsp");
      python.close();

      Arrays.sort(gw);
      Arrays.sort(straight);
      System.out.printf("%n### Completion latency (`http.` in a TypeScript file, %d requests each, interleaved; ms)%n%n", reps);
      System.out.println("| path | p50 | p99 | max |");
      System.out.println("|---|---:|---:|---:|");
      row("browser → gateway → workspace-service → `docker exec` stdio → server", gw);
      row("`docker exec -i` stdio → server (same container, baseline)", straight);
      System.out.printf("%n### Memory of a language server in a workspace (RSS, after serving one file)%n%n");
      System.out.println("| server | RSS |");
      System.out.println("|---|---:|");
      System.out.printf("| typescript (typescript-language-server + tsserver, with node's types) | %d MiB |%n", tsRss / 1024);
      System.out.printf("| python (pylsp + pyflakes) | %d MiB |%n", pyRss / 1024);
    } finally {
      api("DELETE", "/api/projects/" + project, null, 204);
    }
  }

  static void row(String path, double[] sorted) {
    System.out.printf("| %s | %.1f | %.1f | %.1f |%n", path, pct(sorted, 0.5), pct(sorted, 0.99), sorted[sorted.length - 1]);
  }

  static double pct(double[] sorted, double p) {
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }

  static void prepare(Channel c, String language, String path, String text) throws Exception {
    c.request("initialize", init(), 120_000);
    c.notify("initialized", "{}");
    c.notify("textDocument/didOpen", didOpen(path, language, text));
    // Until the semantic tsserver has loaded the program (node's types), a syntax-only one answers
    // with nothing: wait for the real answer, then warm up, unrecorded.
    long deadline = System.currentTimeMillis() + 300_000;
    String labels = "";
    while (!labels.contains("createServer")) {
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("no createServer in " + labels);
      labels = c.request("textDocument/completion", position("main.ts", 3, 5), 120_000);
      if (!labels.contains("createServer")) Thread.sleep(500);
    }
    for (int i = 0; i < 10; i++) completion(c);
  }

  static double completion(Channel c) throws Exception {
    long t0 = System.nanoTime();
    c.request("textDocument/completion", position("main.ts", 3, 5), 60_000);
    return (System.nanoTime() - t0) / 1e6;
  }

  static String init() {
    return "{\"processId\":null,\"rootUri\":\"file:///workspace\",\"capabilities\":{\"textDocument\":{\"completion\":{\"completionItem\":{\"snippetSupport\":true}}}}}";
  }

  static String didOpen(String path, String language, String text) {
    return "{\"textDocument\":{\"uri\":\"file:///workspace/" + path + "\",\"languageId\":\"" + language + "\",\"version\":1,\"text\":\"" + text + "\"}}";
  }

  static String position(String path, int line, int character) {
    return "{\"textDocument\":{\"uri\":\"file:///workspace/" + path + "\"},\"position\":{\"line\":" + line + ",\"character\":" + character + "}}";
  }

  /** Summed RSS (KiB) of the container's processes whose command line matches. */
  static long rss(String container, String pattern) throws Exception {
    long total = 0;
    for (String line : docker("exec", container, "ps", "-eo", "rss=,args=").split("\n")) {
      String t = line.trim();
      if (t.isEmpty() || !Pattern.compile(pattern).matcher(t).find()) continue;
      total += Long.parseLong(t.split("\\s+", 2)[0]);
    }
    return total;
  }

  /** One LSP connection: requests wait for their response; server requests are answered with null. */
  abstract static class Channel implements AutoCloseable {
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, String> responses = new ConcurrentHashMap<>();
    private final StringBuilder all = new StringBuilder();
    static final Pattern ID = Pattern.compile("^\\{\"jsonrpc\":\"2.0\",\"id\":(\\d+|\"[^\"]*\"),\"(result|error|method)\"");
    static final Pattern ANY_ID = Pattern.compile("\"id\":(\\d+|\"[^\"]*\")");

    abstract void send(String json) throws Exception;

    synchronized void received(String message) {
      Matcher head = ID.matcher(message);
      boolean isResponse = head.find() ? !head.group(2).equals("method") : !message.contains("\"method\":\"");
      if (isResponse) {
        Matcher id = ANY_ID.matcher(message);
        if (id.find() && !id.group(1).startsWith("\"")) responses.put(Integer.parseInt(id.group(1)), message);
      } else {
        Matcher id = ANY_ID.matcher(message);
        if (message.indexOf("\"id\":") >= 0 && message.indexOf("\"id\":") < message.indexOf("\"method\"") && id.find()) {
          String reply = "{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":null}";
          Thread t = new Thread(() -> { try { send(reply); } catch (Exception ignored) { } });
          t.setDaemon(true);
          t.start();
        }
        if (all.length() < 1 << 20) all.append(message);
      }
      notifyAll();
    }

    String request(String method, String params, long timeoutMillis) throws Exception {
      int id = ids.incrementAndGet();
      send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
      synchronized (this) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!responses.containsKey(id)) {
          long left = deadline - System.currentTimeMillis();
          if (left <= 0) throw new IllegalStateException("no response to " + method);
          wait(left);
        }
      }
      return responses.remove(id);
    }

    void notify(String method, String params) throws Exception {
      send("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + "}");
    }

    synchronized boolean awaitText(String text, long timeoutMillis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (all.indexOf(text) < 0) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) return false;
        wait(left);
      }
      return true;
    }
  }

  static final class WsChannel extends Channel implements WebSocket.Listener {
    final WebSocket socket;
    private final StringBuilder partial = new StringBuilder();

    WsChannel(String project, String language) throws Exception {
      String ticket = field(api("POST", "/api/projects/" + project + "/lsp/" + language + "/ticket", null, 200), "ticket");
      String uri = gateway.replaceFirst("^http", "ws") + "/api/projects/" + project + "/lsp/" + language + "?ticket="
          + URLEncoder.encode(ticket, StandardCharsets.UTF_8);
      socket = HTTP.newWebSocketBuilder().header("Origin", gateway).connectTimeout(Duration.ofSeconds(20))
          .buildAsync(URI.create(uri), this).get(30, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    synchronized void send(String json) {
      socket.sendText(json, true).join();
    }

    @Override
    public void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench").join();
    }
  }

  /** The server run by `docker exec -i`, as an editor on the same machine would run it. */
  static final class StdioChannel extends Channel {
    final Process process;
    final OutputStream stdin;

    StdioChannel(String container, List<String> command) throws IOException {
      List<String> line = new ArrayList<>(List.of("docker", "exec", "-i", "-u", "1000", "-w", "/workspace", container));
      line.addAll(command);
      process = new ProcessBuilder(line).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      stdin = process.getOutputStream();
      Thread reader = new Thread(() -> {
        try (InputStream in = process.getInputStream()) {
          while (true) {
            int length = -1;
            StringBuilder header = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
              if (c == '\n') {
                String h = header.toString().trim();
                if (h.isEmpty()) break;
                if (h.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(h.substring(15).trim());
                header.setLength(0);
              } else header.append((char) c);
            }
            if (c < 0 || length < 0) return;
            received(new String(in.readNBytes(length), StandardCharsets.UTF_8));
          }
        } catch (IOException ended) {
          // the server ended
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    @Override
    synchronized void send(String json) throws IOException {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      stdin.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      stdin.write(body);
      stdin.flush();
    }

    @Override
    public void close() throws Exception {
      stdin.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }

  static void put(String project, String path, String text) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/api/projects/" + project + "/files/content?path=" + path))
        .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofString(text)).build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) throw new IllegalStateException("PUT " + path + ": " + response.body());
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
