package dev.constellation.claude;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.claude.support.ServiceClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one test with its own Spring context: a service started without ANTHROPIC_API_KEY, which
 * cannot be had in the shared one.
 */
class WithoutApiKeyIT extends ServiceClient {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    register(registry, false);
  }

  @Test
  void startsHealthSaysNotConfiguredAndChatAnswers503() {
    Response health = call("GET", "/actuator/health", null, null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asString()).isEqualTo("UP");
    assertThat(health.json().get("components").get("ai").get("status").asString())
        .isEqualTo("NOT_CONFIGURED");
    assertThat(
            call("GET", "/actuator/health/readiness", null, null).json().get("status").asString())
        .isEqualTo("UP");

    Member m = member("EDITOR");
    String cid = newConversation(m);
    Stream chat = send(cid, m.token(), Map.of("content", "hi"));
    assertThat(chat.status()).isEqualTo(503);
    assertThat(chat.contentType()).startsWith("application/problem+json");
    assertThat(chat.body()).contains("ai-not-configured", "ANTHROPIC_API_KEY", ".env");

    Response edits =
        call(
            "POST",
            "/api/projects/" + m.projectId() + "/ai/edits",
            m.token(),
            Map.of("instruction", "x"));
    assertThat(edits.status()).isEqualTo(503);
    assertThat(ANTHROPIC.received()).isEmpty();
  }
}
