package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The server half of "model output is inert": hostile markup in an answer travels and is stored as
 * data (SSE and JSON strings, never text/html, with nosniff and a script-src 'self' policy), so
 * only the UI's renderer could make it live — and frontend/src/components/MarkdownView.test.tsx
 * (and modules/markdown.test.ts) prove it does not.
 */
class AiOutputIsInertIT {
  private final AiClient ai = new AiClient();

  @Test
  @Checklist({"B25"})
  void hostileMarkupInAnAnswerIsRelayedAndStoredAsDataNeverAsHtml() throws Exception {
    AiClient.User user = ai.register("reader");
    String projectId = ai.project(user);
    String conversation = ai.conversation(user, projectId);

    AiClient.Answer answer =
        ai.chat(user, conversation, "FAKE-HTML show me something", Duration.ofSeconds(20));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/event-stream").doesNotContain("html");
    StringBuilder relayed = new StringBuilder();
    for (AiClient.Event e : answer.events()) {
      if (e.name().equals("delta")) relayed.append(e.json().path("text").asString());
    }
    // Relayed verbatim inside JSON event data: nothing rewrote it into something a browser runs.
    assertThat(relayed.toString())
        .contains("<script>", "onerror=", "javascript:", "https://evil.example/pixel.png");
    assertThat(answer.body()).doesNotContain("\n<script>");

    HttpResponse<String> stored =
        ai.send("GET", "/api/conversations/" + conversation, user.token(), null);
    assertThat(stored.statusCode()).isEqualTo(200);
    assertThat(stored.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    assertThat(stored.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    String csp = stored.headers().firstValue("Content-Security-Policy").orElse("");
    // Should markup ever slip through the UI's sanitizer, the browser still runs no inline script
    // and fetches no image from another host.
    assertThat(directive(csp, "script-src")).isEqualTo("script-src 'self'");
    assertThat(directive(csp, "img-src"))
        .doesNotContain("*")
        .doesNotContain("http:")
        .doesNotContain("https:");
    JsonNode messages = AiClient.JSON.readTree(stored.body()).path("messages");
    String content = messages.get(messages.size() - 1).path("content").asString();
    assertThat(content).contains("<script>window.__pwned", "onerror=", "javascript:");

    // An edit carrying markup, applied, is served back as bytes, not as a page.
    HttpResponse<String> written =
        ai.writeFile(user, projectId, "page.html", "<script>window.__pwned='file'</script>");
    assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
    HttpResponse<String> served =
        ai.send(
            "GET",
            "/api/projects/" + projectId + "/files/content?path=page.html",
            user.token(),
            null);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type").orElse("")).doesNotContain("html");
    assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  private static String directive(String csp, String name) {
    for (String d : csp.split(";")) {
      if (d.trim().startsWith(name + " ")) return d.trim();
    }
    return "";
  }
}
