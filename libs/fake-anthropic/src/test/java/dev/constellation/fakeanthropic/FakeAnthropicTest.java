package dev.constellation.fakeanthropic;

import static dev.constellation.fakeanthropic.FakeAnthropic.say;
import static dev.constellation.fakeanthropic.FakeAnthropic.toolUse;
import static dev.constellation.fakeanthropic.FakeAnthropic.turn;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FakeAnthropicTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(String base, String key, String firstMessage, boolean stream)
      throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "model",
                "claude-test",
                "max_tokens",
                100,
                "stream",
                stream,
                "messages",
                List.of(Map.of("role", "user", "content", firstMessage))));
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
            .header("x-api-key", key)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<JsonNode> events(String sse) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ")) out.add(JSON.readTree(line.substring(6)));
    }
    return out;
  }

  @Test
  void streamsTextThenToolUseLikeTheRealApi() throws Exception {
    try (var fake = new FakeAnthropic()) {
      fake.script(
          "mixed",
          turn(
              say("Let me ", "look."),
              toolUse("read_file", Map.of("path", "src/a long name.txt"))));
      var events =
          events(post(fake.baseUrl(), FakeAnthropic.API_KEY, "FAKE-SCRIPT:mixed hi", true).body());
      List<String> types = events.stream().map(e -> e.path("type").asString()).toList();
      assertThat(types.get(0)).isEqualTo("message_start");
      assertThat(types).endsWith("message_delta", "message_stop");
      JsonNode toolStart =
          events.stream()
              .filter(e -> e.path("content_block").path("type").asString("").equals("tool_use"))
              .findFirst()
              .orElseThrow();
      assertThat(toolStart.path("index").asInt()).isEqualTo(1);
      assertThat(toolStart.path("content_block").path("input").isEmpty()).isTrue();
      assertThat(toolStart.path("content_block").path("id").asString()).startsWith("toolu_");
      StringBuilder json = new StringBuilder();
      int pieces = 0;
      for (JsonNode e : events) {
        if (e.path("delta").path("type").asString("").equals("input_json_delta")) {
          json.append(e.path("delta").path("partial_json").asString());
          pieces++;
        }
      }
      assertThat(pieces).isGreaterThan(2);
      assertThat(JSON.readTree(json.toString()).path("path").asString())
          .isEqualTo("src/a long name.txt");
      JsonNode last = events.get(events.size() - 2);
      assertThat(last.path("delta").path("stop_reason").asString()).isEqualTo("tool_use");
    }
  }

  @Test
  void tagsHaveTheirOwnQueuesAndUnscriptedRequestsAreForwarded() throws Exception {
    try (var behind = new FakeAnthropic(0, null);
        var front = new FakeAnthropic(0, null)) {
      behind.defaultReply(FakeAnthropic.text("from behind"));
      front.forwardUnscriptedTo(behind.baseUrl());
      front.script("a", FakeAnthropic.text("a1"), FakeAnthropic.text("a2"));
      front.script("b", FakeAnthropic.text("b1"));

      assertThat(post(front.baseUrl(), "k", "FAKE-SCRIPT:b", false).body()).contains("b1");
      assertThat(post(front.baseUrl(), "k", "FAKE-SCRIPT:a", false).body()).contains("a1");
      assertThat(post(front.baseUrl(), "k", "FAKE-SCRIPT:a", false).body()).contains("a2");
      var forwarded = post(front.baseUrl(), "k", "FAKE-SCRIPT:a", true);
      assertThat(forwarded.statusCode()).isEqualTo(200);
      assertThat(forwarded.headers().firstValue("content-type").orElse(""))
          .startsWith("text/event-stream");
      assertThat(forwarded.body()).contains("from behind").contains("message_stop");
      assertThat(behind.received()).hasSize(1);
      assertThat(behind.received().get(0).headers().get("x-api-key")).isEqualTo("k");
      assertThat(front.received("a")).hasSize(3);
      assertThat(front.pending("a")).isZero();
    }
  }

  @Test
  void refusesAWrongKey() throws Exception {
    try (var fake = new FakeAnthropic()) {
      assertThat(post(fake.baseUrl(), "wrong", "hi", false).statusCode()).isEqualTo(401);
    }
  }
}
