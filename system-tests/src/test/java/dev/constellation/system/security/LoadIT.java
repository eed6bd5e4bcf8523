package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A19: 100 developers, each with their own account and project, list projects, list files, read and
 * save a file, think 200 ms, for 20 s. The system may get slower; it must not answer 500, and any
 * refusal must be a 503 with Retry-After. Every user is its own client address (EdgeHttp), as
 * behind a real network, so that per-address limits are not what is measured. Bounded: 20 s of
 * load, each request at most 40 s, the whole test a few minutes at worst.
 */
class LoadIT {
  private static final int USERS = Integer.getInteger("load.users", 100);
  private static final Duration LOAD = Duration.ofSeconds(Integer.getInteger("load.seconds", 20));
  private static final Duration THINK = Duration.ofMillis(200);

  record Failure(String request, int status, String retryAfter, String body) {}

  @Test
  @Checklist({"A19"})
  void hundredDevelopersGetNo500sAndOnlyPoliteRefusals() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(USERS);
    ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger cycles = new AtomicInteger();
    // Sign-ups cost bcrypt: a handful at a time, as people arrive, rather than all in one instant.
    Semaphore arriving = new Semaphore(8);
    long loadEnds = System.nanoTime() + Duration.ofSeconds(180).toNanos() + LOAD.toNanos();
    try {
      List<Future<?>> users = new ArrayList<>();
      for (int u = 0; u < USERS; u++) {
        int n = u;
        users.add(
            pool.submit(
                () -> {
                  EdgeHttp client = EdgeHttp.freshClient();
                  Api.Session session;
                  String project;
                  arriving.acquire();
                  try {
                    session = client.signUp("load" + n);
                    var created =
                        client.post(
                            "/api/projects",
                            session.accessToken(),
                            "{\"name\":\"load-" + n + "\",\"templateId\":\"blank\"}");
                    if (created.status() != 201)
                      throw new IllegalStateException(
                          "create project: " + created.status() + " " + created.body());
                    project = created.json().path("id").asString();
                  } finally {
                    arriving.release();
                  }
                  String file = "/api/projects/" + project + "/files/content?path=notes.txt";
                  check(
                      failures,
                      requests,
                      "save",
                      client.send(
                          "PUT",
                          file,
                          session.accessToken(),
                          "application/octet-stream",
                          "hello\n".getBytes(StandardCharsets.UTF_8),
                          Map.of()));
                  long until = Math.min(loadEnds, System.nanoTime() + LOAD.toNanos());
                  int round = 0;
                  while (System.nanoTime() < until) {
                    check(
                        failures,
                        requests,
                        "list projects",
                        client.get("/api/projects", session.accessToken()));
                    check(
                        failures,
                        requests,
                        "list files",
                        client.get("/api/projects/" + project + "/files", session.accessToken()));
                    check(failures, requests, "read", client.get(file, session.accessToken()));
                    check(
                        failures,
                        requests,
                        "save",
                        client.send(
                            "PUT",
                            file,
                            session.accessToken(),
                            "application/octet-stream",
                            ("round " + round++ + "\n").getBytes(StandardCharsets.UTF_8),
                            Map.of()));
                    cycles.incrementAndGet();
                    Thread.sleep(THINK.toMillis());
                  }
                  return null;
                }));
      }
      // Bounded: whoever is not done by then (still signing up on a starved machine) is cut off;
      // the rounds assertion below then says the run was too slow to count as load.
      long cutOff = loadEnds + TimeUnit.SECONDS.toNanos(60);
      for (Future<?> user : users) {
        try {
          user.get(Math.max(1, cutOff - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException late) {
          user.cancel(true);
        }
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }

    List<Failure> all = List.copyOf(failures);
    assertThat(all).as("500s under load").filteredOn(f -> f.status() == 500).isEmpty();
    assertThat(all).as("5xx other than 503 with Retry-After").isEmpty();
    // It really was load: on average every user completed a round (more on a machine that is not
    // shared).
    assertThat(cycles.get())
        .as("rounds completed of " + requests.get() + " requests")
        .isGreaterThanOrEqualTo(USERS);
  }

  private static void check(
      ConcurrentLinkedQueue<Failure> failures,
      AtomicInteger requests,
      String what,
      EdgeHttp.Response response) {
    requests.incrementAndGet();
    int status = response.status();
    boolean politeRefusal = status == 503 && response.header("Retry-After") != null;
    if (status >= 500 && !politeRefusal) {
      String body = response.body();
      failures.add(
          new Failure(
              what,
              status,
              response.header("Retry-After"),
              body.substring(0, Math.min(300, body.length()))));
    } else if (status >= 400 && status != 503 && status != 429) {
      throw new IllegalStateException(what + " answered " + status + ": " + response.body());
    }
  }
}
