package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.SystemStack;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The AI upstream as a hostile or failing neighbour: its key stays on the server, its failures
 * reach the user as an error event instead of a hang, and a user who leaves stops the paid call.
 */
class AiUpstreamIT {
  private final AiClient ai = new AiClient();

  @Test
  @Checklist({"B26"})
  void upstreamRateLimitOverloadAndDroppedStreamsEndInAnErrorEventNeverAHang() throws Exception {
    AiClient.User user = ai.register("unlucky");
    String conversation = ai.conversation(user, ai.project(user));
    for (String failure :
        List.of("FAKE-STATUS-429", "FAKE-STATUS-529", "FAKE-STREAM-DROP", "FAKE-STREAM-ERROR")) {
      // The service retries 429/529 a few times within its bounded total; 20 s is far beyond it.
      AiClient.Answer answer =
          ai.chat(user, conversation, "please answer " + failure, Duration.ofSeconds(20));
      assertThat(answer.status()).as(failure).isEqualTo(200);
      assertThat(answer.contentType()).startsWith("text/event-stream");
      assertThat(answer.hasEvent("done")).as(failure + ": " + answer.body()).isFalse();
      JsonNode error = answer.event("error").json();
      assertThat(error.path("status").asInt()).as(failure + ": " + error).isBetween(500, 599);
      assertThat(error.path("detail").asString()).as(failure).isNotBlank();
    }
  }

  @Test
  @Checklist({"B26"})
  void clientDisconnectCancelsTheUpstreamCall() throws Exception {
    AiClient.User user = ai.register("leaver");
    String conversation = ai.conversation(user, ai.project(user));
    String tag = AiClient.tag();

    HttpResponse<InputStream> open =
        ai.openChat(user, conversation, "FAKE-HOLD FAKE-TAG:" + tag + " take your time");
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(AiClient.readUntil(AiClient.reader(open), "delta")).isNotEmpty();
    JsonNode upstream = AiClient.upstreamRequest(tag);
    assertThat(upstream).as("the upstream saw the call").isNotNull();
    assertThat(upstream.path("closedEarly").asBoolean()).isFalse();

    open.body().close();

    // The fake would keep the answer open for 60 s; the service must hang up on it at once.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!AiClient.upstreamRequest(tag).path("closedEarly").asBoolean()
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(AiClient.upstreamRequest(tag).path("closedEarly").asBoolean())
        .as("the upstream connection was closed within 5 s of the client leaving")
        .isTrue();
  }

  @Test
  @Checklist({"B26"})
  void anthropicKeyNeverReachesTheBrowserTheLogsOrAnErrorBody() throws Exception {
    AiClient.User user = ai.register("curious");
    AiClient.User viewer = ai.register("onlooker");
    String projectId = ai.project(user);
    ai.addMember(user, projectId, viewer, "VIEWER");
    String conversation = ai.conversation(user, projectId);
    String tag = AiClient.tag();

    // A whole round trip, with every failure the upstream and the caller can produce.
    assertThat(
            ai.chat(user, conversation, "hello FAKE-TAG:" + tag, Duration.ofSeconds(20))
                .hasEvent("done"))
        .isTrue();
    for (String failure :
        List.of("FAKE-UPSTREAM-ERROR", "FAKE-STATUS-429", "FAKE-STATUS-500", "FAKE-STREAM-DROP")) {
      ai.chat(user, conversation, "again " + failure, Duration.ofSeconds(20));
    }
    ai.proposeEdits(user, projectId, "Add a comment to index.js");
    ai.proposeEdits(user, projectId, "index.js FAKE-UPSTREAM-ERROR");
    ai.proposeEdits(user, projectId, "index.js FAKE-STATUS-529");
    ai.proposeEdits(viewer, projectId, "index.js");
    ai.proposeEdits(user, projectId, "");
    ai.send(
        "POST",
        "/api/conversations/" + conversation + "/messages",
        viewer.token(),
        Map.of("content", "hi"));
    ai.send(
        "POST",
        "/api/conversations/" + conversation + "/messages",
        user.token(),
        Map.of("content", ""));
    ai.send(
        "POST",
        "/api/conversations/" + conversation + "/messages",
        "not-a-token",
        Map.of("content", "hi"));
    ai.send("POST", "/api/conversations/" + conversation + "/messages", user.token(), "{broken");
    ai.send("GET", "/api/conversations/" + conversation, user.token(), null);
    ai.send("GET", "/api/projects/" + projectId + "/conversations", user.token(), null);
    ai.send("GET", "/api/admin/usage", user.token(), null);
    ai.send("GET", "/api/conversations/no-such-conversation", user.token(), null);
    ai.send("GET", "/actuator/health", null, null);

    // The key was really in play: the upstream received it.
    assertThat(AiClient.upstreamRequest(tag).path("auth").asString())
        .isEqualTo(SystemStack.FAKE_API_KEY);
    assertThat(ai.seen).hasSizeGreaterThan(15);
    for (AiClient.Seen response : ai.seen) {
      assertThat(response.body() + response.headers())
          .as(response.what())
          .doesNotContain(SystemStack.FAKE_API_KEY)
          .doesNotContain(SystemStack.FAKE_API_KEY.substring(0, 20));
    }
    try (Stream<Path> logs = Files.list(SystemStack.dataDir().resolve("logs"))) {
      for (Path log : logs.toList()) {
        assertThat(Files.readString(log))
            .as(log.toString())
            .doesNotContain(SystemStack.FAKE_API_KEY)
            .doesNotContain(SystemStack.FAKE_API_KEY.substring(0, 20));
      }
    }
  }
}
