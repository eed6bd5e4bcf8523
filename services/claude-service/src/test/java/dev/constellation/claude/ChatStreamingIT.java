package dev.constellation.claude;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.claude.support.TestStack;
import dev.constellation.fakeanthropic.FakeAnthropic;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ChatStreamingIT extends TestStack {

  @Test
  void deltasReachTheClientInOrderAsTheyAreProduced() throws Exception {
    Member m = member("EDITOR");
    String cid = newConversation(m);
    FakeAnthropic.Gated upstream =
        new FakeAnthropic.Gated("One", " two", " three", " four", " five");
    ANTHROPIC.enqueue(upstream);

    Event done;
    try (var reader = open(cid, m.token(), Map.of("content", "Count to five"))) {
      // The upstream holds every chunk after the first until the client has seen the one before:
      // any buffering between them would stall here instead of delivering.
      for (int i = 0; i < 5; i++) {
        Event delta = nextEvent(reader);
        assertThat(delta.name()).isEqualTo("delta");
        assertThat(delta.json().get("text").asString())
            .isEqualTo(List.of("One", " two", " three", " four", " five").get(i));
        assertThat(upstream.sent()).isEqualTo(i + 1);
        upstream.release();
      }
      done = nextEvent(reader);
      assertThat(done.name()).isEqualTo("done");
      assertThat(nextEvent(reader)).isNull();
    }
    JsonNode usage = done.json().get("usage");
    assertThat(usage.get("inputTokens").asLong()).isEqualTo(120);
    assertThat(usage.get("outputTokens").asLong()).isEqualTo(5);
    assertThat(usage.has("cacheReadInputTokens")).isTrue();
    assertThat(usage.has("cacheCreationInputTokens")).isTrue();

    JsonNode conversation = call("GET", "/api/conversations/" + cid, m.token(), null).json();
    JsonNode messages = conversation.get("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).get("role").asString()).isEqualTo("user");
    assertThat(messages.get(0).get("content").asString()).isEqualTo("Count to five");
    assertThat(messages.get(1).get("role").asString()).isEqualTo("assistant");
    assertThat(messages.get(1).get("content").asString()).isEqualTo("One two three four five");
    assertThat(messages.get(1).get("id").asString())
        .isEqualTo(done.json().get("messageId").asString());
    assertThat(messages.get(1).get("usage").get("outputTokens").asLong()).isEqualTo(5);
    assertThat(conversation.get("title").asString()).isEqualTo("t");
  }

  @Test
  void attachedFilesSelectionAndFileTreeAreInTheUpstreamRequest() {
    Member m = member("EDITOR");
    NEIGHBOURS.file(m.projectId(), "src/App.java", "class App { int secretNumber = 42; }\n");
    NEIGHBOURS.file(
        m.projectId(), "src/util/Strings.java", "line1\nline2 selected\nline3 selected\nline4\n");
    NEIGHBOURS.file(m.projectId(), "README.md", "# Demo\n");
    String cid = newConversation(m);

    Stream s =
        send(
            cid,
            m.token(),
            Map.of(
                "content",
                "Explain this",
                "context",
                Map.of(
                    "files",
                    List.of("src/App.java"),
                    "selection",
                    Map.of("path", "src/util/Strings.java", "startLine", 2, "endLine", 3))));

    assertThat(s.events()).extracting(Event::name).last().isEqualTo("done");
    JsonNode body = ANTHROPIC.received().get(0).body();
    assertThat(body.get("stream").asBoolean()).isTrue();
    JsonNode system = body.get("system");
    assertThat(system.get(0).get("text").asString())
        .contains("README.md", "src/App.java", "src/util/Strings.java");
    assertThat(system.get(0).get("cache_control").get("type").asString()).isEqualTo("ephemeral");
    JsonNode messages = body.get("messages");
    String last = messages.get(messages.size() - 1).get("content").get(0).get("text").asString();
    assertThat(last)
        .contains("secretNumber = 42", "line2 selected", "line3 selected", "Explain this");
    assertThat(last).doesNotContain("line1", "line4");
    // Files are read with the caller's own token, so the AI sees only what the caller may see.
    assertThat(NEIGHBOURS.fileRequestAuthorizations()).contains("Bearer " + m.token());
    // The SDK authenticates with the key; the key never travels anywhere else.
    assertThat(ANTHROPIC.received().get(0).headers().get("authorization"))
        .isEqualTo("Bearer " + FakeAnthropic.API_KEY);
  }

  @Test
  void missingAttachmentIsRefusedBeforeStreaming() {
    Member m = member("EDITOR");
    String cid = newConversation(m);

    Stream s =
        send(
            cid,
            m.token(),
            Map.of("content", "x", "context", Map.of("files", List.of("nope.txt"))));

    assertThat(s.status()).isEqualTo(400);
    assertThat(s.contentType()).startsWith("application/problem+json");
    assertThat(s.body()).contains("context.files[0]", "nope.txt");
    assertThat(ANTHROPIC.received()).isEmpty();
  }

  @Test
  void attachmentPathEscapingTheProjectIsRefused() {
    Member m = member("EDITOR");
    String cid = newConversation(m);

    Stream s =
        send(
            cid,
            m.token(),
            Map.of("content", "x", "context", Map.of("files", List.of("../other/secret"))));

    assertThat(s.status()).isEqualTo(400);
    assertThat(s.body()).contains("leaves the project");
  }

  @Test
  void blankOrOverlongContentIsAPlainJsonProblem() {
    Member m = member("EDITOR");
    String cid = newConversation(m);

    Stream blank = send(cid, m.token(), Map.of("content", "  "));
    Stream tooLong = send(cid, m.token(), Map.of("content", "x".repeat(32_001)));

    assertThat(blank.status()).isEqualTo(400);
    assertThat(blank.contentType()).startsWith("application/problem+json");
    assertThat(blank.body()).contains("\"field\"", "content");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.body()).contains("32000");
    assertThat(ANTHROPIC.received()).isEmpty();
  }

  @Test
  void rateLimitAndOverloadAreRetriedThenTheAnswerStreams() {
    Member m = member("EDITOR");
    String cid = newConversation(m);
    ANTHROPIC.enqueue(
        new FakeAnthropic.Status(429, "rate_limit_error"),
        new FakeAnthropic.Status(529, "overloaded_error"),
        new FakeAnthropic.Status(500, "api_error"),
        FakeAnthropic.text("finally"));

    Stream s = send(cid, m.token(), Map.of("content", "hi"));

    assertThat(s.events()).extracting(Event::name).containsExactly("delta", "done");
    assertThat(ANTHROPIC.received()).hasSize(4);
  }

  @Test
  void persistentOverloadEndsWithAnErrorEventCarryingAProblem() {
    Member m = member("EDITOR");
    String cid = newConversation(m);
    for (int i = 0; i < 10; i++)
      ANTHROPIC.enqueue(new FakeAnthropic.Status(529, "overloaded_error"));

    Stream s = send(cid, m.token(), Map.of("content", "hi"));

    assertThat(s.status()).isEqualTo(200);
    assertThat(s.events()).extracting(Event::name).containsExactly("error");
    JsonNode problem = s.events().get(0).json();
    assertThat(problem.get("type").asString())
        .isEqualTo("https://constellation.dev/problems/ai-overloaded");
    assertThat(problem.get("status").asInt()).isEqualTo(503);
    assertThat(problem.get("detail").asString()).isNotBlank();
    assertThat(problem.has("requestId")).isTrue();
    assertThat(s.events().get(0).data()).doesNotContain(FakeAnthropic.API_KEY);
    // max-attempts is 4 in the test settings.
    assertThat(ANTHROPIC.received()).hasSize(4);
  }

  @Test
  void midStreamErrorKeepsWhatArrivedAndMarksTheAnswerInterrupted() {
    Member m = member("EDITOR");
    String cid = newConversation(m);
    ANTHROPIC.enqueue(
        new FakeAnthropic.MidStreamError(List.of("Partial", " answer"), "overloaded_error"));

    Stream s = send(cid, m.token(), Map.of("content", "hi"));

    assertThat(s.events()).extracting(Event::name).containsExactly("delta", "delta", "error");
    assertThat(s.events().get(2).json().get("type").asString()).endsWith("/ai-overloaded");
    JsonNode messages =
        call("GET", "/api/conversations/" + cid, m.token(), null).json().get("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(1).get("content").asString()).isEqualTo("Partial answer");
    assertThat(messages.get(1).get("interrupted").asBoolean()).isTrue();
  }

  @Test
  void clientDisconnectCancelsTheUpstreamRequest() throws Exception {
    Member m = member("EDITOR");
    String cid = newConversation(m);
    String[] chunks = new String[100];
    for (int i = 0; i < chunks.length; i++) chunks[i] = "w" + i + " ";
    ANTHROPIC.enqueue(FakeAnthropic.slowText(Duration.ofMillis(100), chunks));

    byte[] body = JSON.writeValueAsBytes(Map.of("content", "long answer please"));
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/conversations/"
                  + cid
                  + "/messages HTTP/1.1\r\nHost: localhost\r\n"
                  + "Authorization: Bearer "
                  + m.token()
                  + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String seen = "";
      byte[] buffer = new byte[1024];
      while (!seen.contains("event:delta")) {
        int n = in.read(buffer);
        assertThat(n).isPositive();
        seen += new String(buffer, 0, n, StandardCharsets.UTF_8);
      }
    }

    // 100 chunks 100 ms apart would take 10 s; the upstream must see the disconnect well before.
    long deadline = System.currentTimeMillis() + 6000;
    while (ANTHROPIC.disconnects() == 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
    assertThat(ANTHROPIC.disconnects()).isEqualTo(1);
    JsonNode messages = null;
    while (System.currentTimeMillis() < deadline + 2000) {
      messages = call("GET", "/api/conversations/" + cid, m.token(), null).json().get("messages");
      if (messages.size() == 2) break;
      Thread.sleep(50);
    }
    assertThat(messages).hasSize(2);
    assertThat(messages.get(1).get("interrupted").asBoolean()).isTrue();
    assertThat(messages.get(1).get("content").asString()).startsWith("w0 ");
    assertThat(messages.get(1).get("content").asString()).doesNotContain("w99");
  }

  @Test
  void spentDailyBudgetIsRefusedWith429() {
    Member m = member("EDITOR");
    String cid = newConversation(m);
    String day = LocalDate.now(ZoneOffset.UTC).toString();
    mongo
        .getCollection("usage")
        .insertOne(
            new Document("_id", day + "|" + m.userId() + "|" + m.projectId() + "|x")
                .append("day", day)
                .append("userId", m.userId())
                .append("projectId", m.projectId())
                .append("model", "x")
                .append("requests", 1L)
                .append("totalTokens", DAILY_BUDGET));

    Stream s = send(cid, m.token(), Map.of("content", "hi"));

    assertThat(s.status()).isEqualTo(429);
    assertThat(s.contentType()).startsWith("application/problem+json");
    assertThat(s.body()).contains("ai-budget-exceeded", "daily AI budget", "\"budget\":\"user\"");
    assertThat(ANTHROPIC.received()).isEmpty();
  }

  @Test
  void usageIsRecordedAndShownToAdminsOnly() {
    Member m = member("EDITOR");
    String cid = newConversation(m);
    ANTHROPIC.enqueue(new FakeAnthropic.Text(List.of("cached"), Duration.ZERO, 10, 900, 0));

    send(cid, m.token(), Map.of("content", "hi"));

    Response forUser = call("GET", "/api/admin/usage?userId=" + m.userId(), m.token(), null);
    assertThat(forUser.status()).isEqualTo(403);
    Response forAdmin =
        call(
            "GET",
            "/api/admin/usage?userId=" + m.userId(),
            token("admin", java.util.Set.of("USER", "ADMIN")),
            null);
    assertThat(forAdmin.status()).isEqualTo(200);
    JsonNode row = forAdmin.json().get("items").get(0);
    assertThat(row.get("projectId").asString()).isEqualTo(m.projectId());
    assertThat(row.get("day").asString()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
    assertThat(row.get("model").asString()).isEqualTo("claude-sonnet-4-5");
    assertThat(row.get("inputTokens").asLong()).isEqualTo(10);
    assertThat(row.get("cacheReadInputTokens").asLong()).isEqualTo(900);
    assertThat(row.get("totalTokens").asLong()).isEqualTo(911);
    String metrics = call("GET", "/actuator/prometheus", null, null).body();
    assertThat(metrics)
        .contains(
            "constellation_ai_requests_total",
            "constellation_ai_cache_hits_total",
            "constellation_ai_time_to_first_token_seconds");
  }
}
