package dev.constellation.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthIT extends GatewayTestBase {

  @Test
  void aggregatesEveryServiceWithoutAToken() {
    Response health = get("/api/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asString()).isEqualTo("UP");
    assertThat(health.json().get("services").toString())
        .contains(
            "\"api-gateway\":\"UP\"",
            "\"project-service\":\"UP\"",
            "\"workspace-service\":\"UP\"",
            "\"claude-service\":\"UP\"");
  }

  @Test
  void reportsDegradedWhenAServiceIsDown() {
    CLAUDE.stop();
    try {
      long start = System.nanoTime();
      Response health = get("/api/health", null);
      assertThat(System.nanoTime() - start).isLessThan(3_000_000_000L);
      assertThat(health.json().get("status").asString()).isEqualTo("DEGRADED");
      assertThat(health.json().get("services").get("claude-service").asString()).isEqualTo("DOWN");
    } finally {
      CLAUDE.restart();
    }
  }

  @Test
  void gatewayReadinessReflectsItsStores() {
    Response readiness = get("/actuator/health/readiness", null);
    assertThat(readiness.status()).isEqualTo(200);
    assertThat(get("/actuator/health/liveness", null).status()).isEqualTo(200);
  }
}
