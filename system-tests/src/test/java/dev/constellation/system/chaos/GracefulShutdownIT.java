package dev.constellation.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.ServiceProcess;
import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import dev.constellation.system.security.Checklist;
import dev.constellation.system.security.TerminalClient;
import dev.constellation.system.security.Workspaces;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * B70, B69: a service told to stop (SIGTERM, as {@code docker stop} and a rolling update do)
 * drains: a request in flight finishes, a stream in flight ends with an event the UI understands, a
 * terminal socket closes with 1001 and a reason, and after the restart the terminal reattaches to
 * its session with its scrollback. The services drain for {@code SHUTDOWN_TIMEOUT} (20 s); streams
 * get half of it to end by themselves.
 */
class GracefulShutdownIT {
  private static final Duration SHELL = Duration.ofSeconds(30);

  /** Half of SHUTDOWN_TIMEOUT, and a margin for a busy machine. */
  private static final Duration STREAM_END = Duration.ofSeconds(10 + 5);

  @Test
  @Checklist({"B70"})
  void claudeServiceStoppedMidAnswerEndsTheStreamWithAnErrorEvent() throws Exception {
    Api api = new Api(SystemStack.gatewayUrl());
    Api.Session user = api.register("graceful-ai");
    String project = CommittedWrites.createProject(api, user);
    var conversation =
        api.send(
            "POST",
            "/api/projects/" + project + "/conversations",
            user.accessToken(),
            Map.of("title", "restart"));
    assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(201);
    String conversationId = Api.json(conversation).path("id").asString();
    // The fake model streams this answer a chunk a second: about half a minute in all.
    Lines answer =
        Lines.post(
            "/api/conversations/" + conversationId + "/messages",
            user.accessToken(),
            "text/event-stream",
            "{\"content\":\"FAKE-SLOW-STREAM please take your time\",\"mode\":\"ask\"}");
    answer.await("event:delta", Duration.ofSeconds(30));

    ServiceProcess claude = SystemStack.get().service("claude-service");
    long stopping = System.nanoTime();
    claude.requestStop();
    try {
      answer.assertEndsWithin(STREAM_END);
      long ended = System.nanoTime();
      String events = answer.text();
      assertThat(events)
          .as("the stream ends with an error event, not a cut")
          .contains("event:error")
          .contains("service-unavailable")
          .contains("restarting")
          .doesNotContain("FAKE-ANSWER-COMPLETE");
      assertThat(events.lastIndexOf("event:error"))
          .as("the error event is the last one")
          .isGreaterThan(events.lastIndexOf("event:delta"));
      System.out.println(
          "DRAIN|claude-service: AI stream ended with an error event after ms|"
              + TimeUnit.NANOSECONDS.toMillis(ended - stopping));
      awaitExit(claude, stopping);
    } finally {
      restart(claude);
    }
    var after = api.get("/api/conversations/" + conversationId, user.accessToken());
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
  }

  @Test
  @Checklist({"B69", "B70"})
  void workspaceServiceStoppedWithATerminalAndCommandsRunningDrainsAndTheTerminalReattaches()
      throws Exception {
    Workspaces.requireDocker();
    Workspaces.Project p = Workspaces.newProject("graceful-ws").start();
    ServiceProcess workspace = SystemStack.get().service("workspace-service");
    try {
      TerminalClient terminal = TerminalClient.open(p);
      String sessionId = terminal.sessionId(SHELL);
      assertThat(terminal.run("export Y=7; echo mark-graceful", "mark-graceful", SHELL))
          .as(terminal.clean())
          .isTrue();
      Lines longCommand =
          Lines.post(
              "/api/projects/" + p.id() + "/exec/stream",
              p.owner().accessToken(),
              "application/x-ndjson",
              "{\"command\":\"echo started; sleep 60\",\"timeoutSeconds\":120}");
      longCommand.await("started", Duration.ofSeconds(30));
      CompletableFuture<HttpResponse<String>> shortCommand =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return p.api()
                      .send(
                          "POST",
                          "/api/projects/" + p.id() + "/exec",
                          p.owner().accessToken(),
                          Map.of("command", "sleep 3; echo finished", "timeoutSeconds", 30));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(1000); // the short command is running when the stop comes

      long stopping = System.nanoTime();
      workspace.requestStop();
      try {
        assertThat(terminal.closed.get(5, TimeUnit.SECONDS))
            .as("the terminal socket closes going-away")
            .isEqualTo(1001);
        assertThat(terminal.closeReason).isEqualTo("service restarting");
        HttpResponse<String> finished = shortCommand.get(20, TimeUnit.SECONDS);
        assertThat(finished.statusCode())
            .as("the request in flight finishes: " + finished.body())
            .isEqualTo(200);
        assertThat(Api.json(finished).path("stdout").asString()).contains("finished");
        longCommand.assertEndsWithin(STREAM_END);
        String last = longCommand.lastLine();
        assertThat(last)
            .as("the streamed command ends with its done line")
            .contains("\"done\":true");
        assertThat(last).contains("\"killedBy\":\"service-restart\"");
        System.out.println(
            "DRAIN|workspace-service: streamed command ended with its done line after ms|"
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
        awaitExit(workspace, stopping);
      } finally {
        restart(workspace);
      }
      long restarted = System.nanoTime();
      TerminalClient back = TerminalClient.reattach(p, sessionId);
      try {
        assertThat(back.sessionId(SHELL)).isEqualTo(sessionId);
        assertThat(back.await(Pattern.compile("(?m)^mark-graceful$"), SHELL))
            .as("scrollback after the restart: %s", back.clean())
            .isTrue();
        assertThat(back.run("echo Y=$Y", "Y=7", SHELL)).as(back.clean()).isTrue();
        FaultRecoveryIT.recovered("workspace-service restart: terminal reattached", restarted);
      } finally {
        back.close();
      }
    } finally {
      p.delete();
    }
  }

  /** The service exits by itself, well within SHUTDOWN_TIMEOUT plus the JVM's own exit. */
  private static void awaitExit(ServiceProcess service, long since) throws Exception {
    StackFaults.await(Duration.ofSeconds(30), service.name() + " exits", () -> !service.isAlive());
    System.out.println(
        "DRAIN|"
            + service.name()
            + ": SIGTERM to exit ms|"
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
  }

  private static void restart(ServiceProcess service) throws Exception {
    if (service.isAlive())
      StackFaults.await(Duration.ofSeconds(30), "exit", () -> !service.isAlive());
    service.start();
    service.awaitReady(Duration.ofSeconds(300));
  }

  /** A streamed response read line by line on its own thread. */
  private static final class Lines {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    static Lines post(String path, String token, String accept, String json) throws Exception {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(SystemStack.gatewayUrl() + path))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .header("Accept", accept)
              .timeout(Duration.ofSeconds(90))
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build();
      HttpResponse<InputStream> response =
          Api.HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      Lines lines = new Lines();
      Thread reader = new Thread(() -> lines.read(response.body()), "graceful-stream-reader");
      reader.setDaemon(true);
      reader.start();
      return lines;
    }

    private void read(InputStream body) {
      try (var in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) lines.add(line);
        ended.complete(null);
      } catch (Exception cut) {
        lines.add("<cut: " + cut + ">");
        ended.complete(null);
      }
    }

    void await(String text, Duration timeout) throws InterruptedException {
      StackFaults.await(timeout, "'" + text + "' in " + text(), () -> text().contains(text));
    }

    void assertEndsWithin(Duration timeout) throws Exception {
      try {
        ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("still open after " + timeout.toSeconds() + " s: " + text());
      }
      assertThat(text()).as("ended by the server, not cut").doesNotContain("<cut:");
    }

    String lastLine() {
      for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return lines.get(i);
      return "";
    }

    String text() {
      return String.join("\n", lines);
    }
  }
}
