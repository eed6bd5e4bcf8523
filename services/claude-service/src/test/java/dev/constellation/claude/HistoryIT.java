package dev.constellation.claude;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.claude.conversation.ChatMessage;
import dev.constellation.claude.support.TestStack;
import dev.constellation.fakeanthropic.FakeAnthropic;
import java.time.Instant;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The test settings give history a budget of 2000 estimated tokens (8000 characters). */
class HistoryIT extends TestStack {

  @Test
  void historyOverBudgetIsSummarizedOnceAndOnlyRecentTurnsAreSent() {
    Member m = member("EDITOR");
    String cid = newConversation(m);
    // 20 turns of ~1000 characters: ~5000 estimated tokens, well over the budget.
    for (int i = 0; i < 20; i++) {
      String role = i % 2 == 0 ? "user" : "assistant";
      mongo.insert(
          new ChatMessage(
              "m" + i + "-" + cid,
              cid,
              m.projectId(),
              1000 + i,
              role,
              "turn-" + i + " " + "lorem ipsum ".repeat(80),
              role.equals("user") ? m.userId() : null,
              null,
              Instant.now(),
              null,
              false,
              null));
    }
    ANTHROPIC.enqueue(FakeAnthropic.text("SUMMARY-OF-OLD-TURNS"), FakeAnthropic.text("answer"));

    Stream s = send(cid, m.token(), Map.of("content", "and now?"));

    assertThat(s.events()).extracting(Event::name).containsExactly("delta", "done");
    assertThat(ANTHROPIC.received()).hasSize(2);
    JsonNode summaryCall = ANTHROPIC.received().get(0).body();
    assertThat(summaryCall.path("stream").asBoolean(false)).isFalse();
    String transcript =
        summaryCall.get("messages").get(0).get("content").get(0).get("text").asString();
    assertThat(transcript).contains("turn-0 ", "turn-9 ");
    JsonNode chat = ANTHROPIC.received().get(1).body();
    assertThat(chat.get("system").get(1).get("text").asString()).contains("SUMMARY-OF-OLD-TURNS");
    String sent = chat.get("messages").toString();
    assertThat(sent).doesNotContain("turn-0 ", "turn-9 ").contains("turn-19 ", "and now?");
    assertThat(chat.get("messages").get(0).get("role").asString()).isEqualTo("user");
    // Estimated history sent stays within the budget (2000 tokens ≈ 8000 characters).
    assertThat(sent.length()).isLessThan(8000 + 2000);
    Document stored =
        mongo
            .getCollection("conversations")
            .find(new Document("_id", new org.bson.types.ObjectId(cid)))
            .first();
    assertThat(stored.getString("summary")).isEqualTo("SUMMARY-OF-OLD-TURNS");
    assertThat(stored.getString("summarizedThrough")).isNotNull();

    ANTHROPIC.reset();
    send(cid, m.token(), Map.of("content", "one more"));

    assertThat(ANTHROPIC.received()).hasSize(1);
    assertThat(ANTHROPIC.received().get(0).body().get("system").get(1).get("text").asString())
        .contains("SUMMARY-OF-OLD-TURNS");
  }

  @Test
  void shortHistoryIsSentVerbatimWithTheCacheMarkOnItsLastTurn() {
    Member m = member("EDITOR");
    String cid = newConversation(m);
    send(cid, m.token(), Map.of("content", "first question"));
    ANTHROPIC.reset();

    send(cid, m.token(), Map.of("content", "second question"));

    JsonNode messages = ANTHROPIC.received().get(0).body().get("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).get("content").get(0).get("text").asString())
        .isEqualTo("first question");
    assertThat(messages.get(1).get("role").asString()).isEqualTo("assistant");
    assertThat(messages.get(1).get("content").get(0).get("cache_control").get("type").asString())
        .isEqualTo("ephemeral");
    assertThat(messages.get(2).get("content").get(0).get("text").asString())
        .isEqualTo("second question");
  }
}
