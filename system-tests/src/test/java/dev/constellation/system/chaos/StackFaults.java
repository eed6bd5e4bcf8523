package dev.constellation.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** What the fault tests share: listening sockets, a raw Redis command, polling, a small load. */
public final class StackFaults {
  private static final java.net.http.HttpClient HTTP =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private StackFaults() {}

  /** One listening TCP socket of this machine, from /proc/net/tcp{,6}. */
  public record Listener(String localAddress, int port) {
    public boolean loopback() {
      return localAddress.equals("127.0.0.1")
          || localAddress.equals("::1")
          || localAddress.equals("::ffff:127.0.0.1");
    }
  }

  /** Every socket in state LISTEN on {@code port}, IPv4 and IPv6. */
  public static List<Listener> listenersOn(int port) throws IOException {
    List<Listener> found = new ArrayList<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(file);
      if (!Files.isReadable(path)) continue;
      List<String> lines = Files.readAllLines(path);
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        // sl local_address rem_address st ...; 0A = LISTEN
        if (fields.length < 4 || !fields[3].equals("0A")) continue;
        String[] local = fields[1].split(":");
        if (Integer.parseInt(local[1], 16) != port) continue;
        found.add(new Listener(decodeAddress(local[0]), port));
      }
    }
    return found;
  }

  /** /proc/net/tcp prints addresses as 32-bit words in host (little-endian) order. */
  public static String decodeAddress(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < hex.length() / 8; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + (3 - i) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    if (bytes.length == 4) {
      return (bytes[0] & 0xff)
          + "."
          + (bytes[1] & 0xff)
          + "."
          + (bytes[2] & 0xff)
          + "."
          + (bytes[3] & 0xff);
    }
    boolean mapped = true;
    for (int i = 0; i < 10; i++) mapped &= bytes[i] == 0;
    mapped &= (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    if (mapped)
      return "::ffff:"
          + (bytes[12] & 0xff)
          + "."
          + (bytes[13] & 0xff)
          + "."
          + (bytes[14] & 0xff)
          + "."
          + (bytes[15] & 0xff);
    boolean any = true;
    for (int i = 0; i < 15; i++) any &= bytes[i] == 0;
    if (any && bytes[15] == 1) return "::1";
    if (any && bytes[15] == 0) return "::";
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) text.append(':');
      text.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
    }
    return text.toString();
  }

  public static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** Sends one command to Redis over RESP and returns the first line of the reply. */
  public static String redis(int port, String... args) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(3000);
      StringBuilder command = new StringBuilder("*" + args.length + "\r\n");
      for (String arg : args) {
        command
            .append('$')
            .append(arg.getBytes(StandardCharsets.UTF_8).length)
            .append("\r\n")
            .append(arg)
            .append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(command.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder reply = new StringBuilder();
      for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) reply.append((char) c);
      return reply.toString().trim();
    }
  }

  public static void await(Duration timeout, String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
      Thread.sleep(200);
    }
  }

  /** A 503 problem with Retry-After and no trace of code in its body. */
  public static void assertUnavailableProblem(HttpResponse<String> response, String what) {
    assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type"))
        .as(what)
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(response.headers().firstValue("Retry-After")).as(what + " Retry-After").isPresent();
    assertNoStackTrace(response, what);
  }

  public static void assertNoStackTrace(HttpResponse<String> response, String what) {
    assertThat(response.body())
        .as(what + " body")
        .doesNotContain("Exception")
        .doesNotContain("at dev.")
        .doesNotContain("at org.")
        .doesNotContainIgnoringCase("lettuce")
        .doesNotContain("com.mongodb");
  }

  /** A request that must come back, with its time: a hang fails the test instead of stalling it. */
  public static HttpResponse<String> timed(Duration limit, String what, Request request)
      throws Exception {
    long started = System.nanoTime();
    HttpResponse<String> response = request.send();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took)
        .as(what + " answered " + response.statusCode() + " after " + took.toMillis() + " ms")
        .isLessThan(limit);
    return response;
  }

  @FunctionalInterface
  public interface Request {
    HttpResponse<String> send() throws Exception;
  }

  /**
   * A couple of users working during a fault: listing projects and saving a file in turn, at most
   * {@code maxRequests} requests and until stopped. Every save that was answered 200 is a committed
   * write, remembered so that the test can find it again after recovery.
   */
  static final class Load implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    final List<String[]> committedFiles = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger serverErrorsOtherThan503 = new AtomicInteger();
    final List<String> otherServerErrors =
        java.util.Collections.synchronizedList(new ArrayList<>());

    /** At most {@code maxRequests} answered requests and five minutes, whichever ends first. */
    Load(Api api, List<Api.Session> users, List<String> projects, int maxRequests) {
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      for (int u = 0; u < users.size(); u++) {
        Api.Session user = users.get(u);
        String project = projects.get(u);
        Thread thread =
            new Thread(
                () -> {
                  int n = 0;
                  while (!stop.get()
                      && requests.get() < maxRequests
                      && System.nanoTime() < deadline) {
                    try {
                      HttpResponse<String> response;
                      if (n % 2 == 0) {
                        response = api.get("/api/projects", user.accessToken());
                      } else {
                        String path = "load/" + user.userId() + "-" + n + ".txt";
                        String content = "written under load " + n + " " + System.nanoTime();
                        response = putFile(api, user, project, path, content);
                        if (response.statusCode() == 200)
                          committedFiles.add(
                              new String[] {project, path, content, user.accessToken()});
                      }
                      requests.incrementAndGet();
                      if (response.statusCode() >= 500 && response.statusCode() != 503) {
                        serverErrorsOtherThan503.incrementAndGet();
                        otherServerErrors.add(
                            response.statusCode()
                                + " "
                                + response.request().method()
                                + " "
                                + response.request().uri().getPath()
                                + " "
                                + response.body());
                      }
                      n++;
                      Thread.sleep(100);
                    } catch (InterruptedException e) {
                      return;
                    } catch (Exception connectionRefusedWhileTheGatewayIsDown) {
                      try {
                        Thread.sleep(500);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  }
                },
                "fault-load-" + u);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread thread : threads) thread.join(40_000);
    }

    /** Waits until the load has saved a file again, i.e. writes go through after the recovery. */
    void awaitCommitAfter(int before) throws InterruptedException {
      StackFaults.await(
          Duration.ofSeconds(60),
          "a file saved under load after the recovery",
          () -> committedFiles.size() > before);
    }
  }

  public static HttpResponse<String> putFile(
      Api api, Api.Session user, String project, String path, String content)
      throws IOException, InterruptedException {
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(
                    dev.constellation.system.SystemStack.gatewayUrl()
                        + "/api/projects/"
                        + project
                        + "/files/content?path="
                        + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + user.accessToken())
            .header("Content-Type", "application/octet-stream")
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(content))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public static String readFile(Api api, String token, String project, String path)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        api.get(
            "/api/projects/"
                + project
                + "/files/content?path="
                + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8),
            token);
    return response.statusCode() == 200 ? response.body() : "<" + response.statusCode() + ">";
  }

  public static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }
}
