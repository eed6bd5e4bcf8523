package dev.constellation.system.security;

import static dev.constellation.system.security.Accounts.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.constellation.system.Docker;
import dev.constellation.system.security.Accounts.Session;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A7 / B5: when a user's tokens are revoked, what they already have open goes too — their terminal
 * WebSockets close (1008) and their AI answers and agent turns in flight end with an error event,
 * each within 2 s, through the gateway as a browser has them.
 */
class RevokedStreamsIT {
  /** The promise: closed within 2 s of the revoking request's answer. */
  private static final long CLOSE_WITHIN_MS = 2_000;

  @Test
  @Checklist({"A7", "B5"})
  void aDisabledUsersOpenTerminalClosesWithinTwoSeconds() throws Exception {
    requireDocker();
    Session admin = Accounts.admin();
    Session user = Accounts.register("terminal-disabled");
    String projectId = Accounts.createProject(user, "Disabled shell");
    try {
      TerminalClient terminal = openTerminal(user, projectId);
      var disabled =
          send(
              "PATCH",
              Accounts.gateway() + "/api/admin/users/" + user.userId(),
              admin.accessToken(),
              Map.of("disabled", true));
      assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
      long revokedAt = System.nanoTime();

      int code = terminal.closed.get(10, TimeUnit.SECONDS);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt);
      assertThat(tookMs)
          .as("terminal closed %d ms after the account was disabled", tookMs)
          .isLessThanOrEqualTo(CLOSE_WITHIN_MS);
      assertThat(code).as("close code").isEqualTo(1008);
    } finally {
      send(
          "PATCH",
          Accounts.gateway() + "/api/admin/users/" + user.userId(),
          admin.accessToken(),
          Map.of("disabled", false));
      Session back = Accounts.login(user.email(), Accounts.PASSWORD);
      send("DELETE", Accounts.gateway() + "/api/projects/" + projectId, back.accessToken(), null);
    }
  }

  @Test
  @Checklist({"A7", "B5"})
  void aPasswordChangeClosesTheUsersTerminalsAndATicketIssuedBeforeCannotOpenOne()
      throws Exception {
    requireDocker();
    Session user = Accounts.register("terminal-password");
    String projectId = Accounts.createProject(user, "Password shell");
    Session fresh = user;
    try {
      TerminalClient terminal = openTerminal(user, projectId);
      String spareTicket = ticket(user, projectId);
      var changed =
          send(
              "POST",
              Accounts.gateway() + "/api/auth/password",
              user.accessToken(),
              Map.of(
                  "currentPassword", Accounts.PASSWORD, "newPassword", "another long passphrase"));
      assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
      long revokedAt = System.nanoTime();
      fresh = Accounts.session(changed);

      int code = terminal.closed.get(10, TimeUnit.SECONDS);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt);
      assertThat(tookMs)
          .as("terminal closed %d ms after the password change", tookMs)
          .isLessThanOrEqualTo(CLOSE_WITHIN_MS);
      assertThat(code).isEqualTo(1008);

      // A ticket taken before the change was the old sign-in's: it opens nothing that stays open.
      TerminalClient late =
          TerminalClient.connect(Accounts.gateway(), projectId, spareTicket, true, "");
      late.handshake.thenAccept(
          ws ->
              ws.sendBinary(
                  ByteBuffer.wrap("echo LATE-$((1+1))\r".getBytes(StandardCharsets.UTF_8)), true));
      assertThat(late.closed.get(10, TimeUnit.SECONDS))
          .as("late terminal: refused or closed")
          .isIn(1008, -2);
      assertThat(late.await(Pattern.compile("(?m)^LATE-2$"), Duration.ofMillis(200)))
          .as("late terminal output: %s", late.clean())
          .isFalse();
    } finally {
      send("DELETE", Accounts.gateway() + "/api/projects/" + projectId, fresh.accessToken(), null);
    }
  }

  @Test
  @Checklist({"A7", "B5"})
  void aDisabledUsersAnswerInFlightEndsWithinTwoSeconds() throws Exception {
    Session admin = Accounts.admin();
    Session user = Accounts.register("stream-disabled");
    Stream stream = Stream.start(user, Accounts.createProject(user, "Disabled chat"));
    stream.awaitFirstDelta();

    var disabled =
        send(
            "PATCH",
            Accounts.gateway() + "/api/admin/users/" + user.userId(),
            admin.accessToken(),
            Map.of("disabled", true));
    assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
    stream.revoked();
    stream.assertEndsWithinTwoSeconds();
  }

  @Test
  @Checklist({"A7", "B5"})
  void aSignedOutUsersAnswerInFlightEndsWithinTwoSeconds() throws Exception {
    signOutMidStream("stream-logout", "Signed-out chat", "ask");
  }

  @Test
  @Checklist({"A7", "B5"})
  void aSignedOutUsersAgentTurnInFlightEndsWithinTwoSeconds() throws Exception {
    signOutMidStream("agent-logout", "Signed-out agent", "agent");
  }

  /** A user signs out while a stream of theirs (an ask answer or an agent turn) is in flight. */
  private static void signOutMidStream(String account, String project, String mode)
      throws Exception {
    Session user = Accounts.register(account);
    Stream stream = Stream.start(user, Accounts.createProject(user, project), mode);
    stream.awaitFirstDelta();

    Accounts.logout(user);
    stream.revoked();
    stream.assertEndsWithinTwoSeconds();
  }

  private static void requireDocker() {
    // The local runtime serves a single account per installation; the shared stack has many.
    if (!Docker.available())
      abort("no Docker engine: terminals of a second account need the Docker runtime");
  }

  /** An AI answer being streamed through the gateway, read line by line on its own thread. */
  private static final class Stream {
    private final StringBuilder events = new StringBuilder();
    private final CountDownLatch firstDelta = new CountDownLatch(1);
    private final CompletableFuture<Long> ended = new CompletableFuture<>();
    private volatile long revokedAt;

    static Stream start(Session user, String projectId) throws Exception {
      return start(user, projectId, "ask");
    }

    static Stream start(Session user, String projectId, String mode) throws Exception {
      var conversation =
          send(
              "POST",
              Accounts.gateway() + "/api/projects/" + projectId + "/conversations",
              user.accessToken(),
              Map.of("title", "revoked"));
      assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(201);
      String conversationId = Accounts.JSON.readTree(conversation.body()).path("id").asString();
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      Accounts.gateway() + "/api/conversations/" + conversationId + "/messages"))
              .header("Authorization", "Bearer " + user.accessToken())
              .header("Content-Type", "application/json")
              .header("Accept", "text/event-stream")
              .timeout(Duration.ofSeconds(60))
              // The fake model streams this one a chunk a second: about half a minute in all.
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"content\":\"FAKE-SLOW-STREAM please take your time\",\"mode\":\""
                          + mode
                          + "\"}"))
              .build();
      Stream stream = new Stream();
      HttpResponse<java.io.InputStream> response =
          Accounts.HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      Thread reader = new Thread(() -> stream.read(response.body()), "revoked-stream-reader");
      reader.setDaemon(true);
      reader.start();
      return stream;
    }

    private void read(java.io.InputStream body) {
      try (var lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          synchronized (events) {
            events.append(line).append('\n');
          }
          if (line.startsWith("event:delta") || line.startsWith("event: delta"))
            firstDelta.countDown();
        }
      } catch (Exception e) {
        // a reset is an end too
      }
      ended.complete(System.nanoTime());
    }

    void awaitFirstDelta() throws Exception {
      assertThat(firstDelta.await(30, TimeUnit.SECONDS))
          .as("first delta; events so far: %s", text())
          .isTrue();
      assertThat(ended).as("the answer is still being streamed").isNotDone();
    }

    /** The revoking request was answered: the clock starts. */
    void revoked() {
      revokedAt = System.nanoTime();
    }

    void assertEndsWithinTwoSeconds() throws Exception {
      long end;
      try {
        end = ended.get(15, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError(
            "the stream of a revoked user is still open 15 s later: " + text());
      }
      long tookMs = TimeUnit.NANOSECONDS.toMillis(end - revokedAt);
      assertThat(tookMs)
          .as("stream ended %d ms after the revocation", tookMs)
          .isLessThanOrEqualTo(CLOSE_WITHIN_MS);
      assertThat(text())
          .as("events")
          .contains("event:error")
          .doesNotContain("event:done", "FAKE-ANSWER-COMPLETE");
    }

    private String text() {
      synchronized (events) {
        return events.toString();
      }
    }
  }

  private static String ticket(Session user, String projectId) throws Exception {
    var response =
        send(
            "POST",
            Accounts.gateway() + "/api/projects/" + projectId + "/terminal/ticket",
            user.accessToken(),
            null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Accounts.JSON.readTree(response.body()).path("ticket").asString();
  }

  /** Opens a terminal and waits until the shell answers, so that it is really running. */
  private static TerminalClient openTerminal(Session user, String projectId) throws Exception {
    // A terminal socket never starts a workspace.
    var started =
        Accounts.send(
            "POST",
            Accounts.gateway() + "/api/projects/" + projectId + "/workspace/start",
            user.accessToken(),
            null);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    TerminalClient terminal =
        TerminalClient.connect(Accounts.gateway(), projectId, ticket(user, projectId), true, "");
    terminal.socket = terminal.handshake.get(60, TimeUnit.SECONDS);
    // The whole line: the echo of the typed command holds the unexpanded text only.
    assertThat(terminal.run("echo TERMINAL-$((40+2))", "TERMINAL-42", Duration.ofSeconds(30)))
        .as("shell output: %s", terminal.clean())
        .isTrue();
    assertThat(terminal.closed).isNotDone();
    return terminal;
  }
}
