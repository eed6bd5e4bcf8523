package dev.constellation.claude.upstream;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Says whether the AI is configured. Deliberately not part of readiness: the rest of the service
 * (reading conversations) works without a key. Does not call the upstream, which would cost money
 * on every probe.
 */
@Component("ai")
class AiHealthIndicator implements HealthIndicator {
  static final Status NOT_CONFIGURED =
      new Status("NOT_CONFIGURED", "Set ANTHROPIC_API_KEY in .env to enable the AI assistant");

  private final ClaudeClient client;

  AiHealthIndicator(ClaudeClient client) {
    this.client = client;
  }

  @Override
  public Health health() {
    if (!client.configured()) {
      return Health.status(NOT_CONFIGURED)
          .withDetail("configured", false)
          .withDetail(
              "hint",
              "Set ANTHROPIC_API_KEY in .env (or the environment) and restart claude-service.")
          .build();
    }
    return Health.up().withDetail("configured", true).withDetail("model", client.model()).build();
  }
}
