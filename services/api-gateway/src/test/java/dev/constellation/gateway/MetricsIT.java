package dev.constellation.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * What the gateway tells Prometheus: business counters, the shared active-user gauge, route tags.
 */
class MetricsIT extends GatewayTestBase {
  @Autowired ReactiveStringRedisTemplate redis;

  @Test
  void countsBadPasswordsAndInvalidTokensByReason() {
    Session user = anyUser();
    String email = user.user().get("email").asString();
    double badBefore = sample("constellation_auth_failures_total", "reason=\"bad_credentials\"");
    double tokenBefore = sample("constellation_auth_failures_total", "reason=\"invalid_token\"");
    double loginsBefore = sample("constellation_auth_logins_total", "");

    assertProblem(
        postJson(
            "/api/auth/login",
            "{\"email\":\"" + email + "\",\"password\":\"wrong password\"}",
            null),
        401);
    assertProblem(get("/api/projects", "not.a.token"), 401);
    login(email);

    assertThat(sample("constellation_auth_failures_total", "reason=\"bad_credentials\""))
        .isEqualTo(badBefore + 1);
    assertThat(sample("constellation_auth_failures_total", "reason=\"invalid_token\""))
        .isEqualTo(tokenBefore + 1);
    assertThat(sample("constellation_auth_logins_total", "")).isEqualTo(loginsBefore + 1);
  }

  @Test
  void countsRateLimitRejectionsByLimit() {
    String email = uniqueEmail("limited");
    double before = sample("constellation_ratelimit_rejections_total", "limit=\"auth-email\"");
    int status = 0;
    for (int i = 0; i < 20 && status != 429; i++) {
      status =
          postJson(
                  "/api/auth/login",
                  "{\"email\":\"" + email + "\",\"password\":\"whatever it is\"}",
                  null)
              .status();
    }
    assertThat(status).isEqualTo(429);
    assertThat(sample("constellation_ratelimit_rejections_total", "limit=\"auth-email\""))
        .isEqualTo(before + 1);
  }

  @Test
  void activeUsersAreKeptInRedisSoThatEveryReplicaReportsTheSameNumber()
      throws InterruptedException {
    Session first = anyUser();
    Session second = anyUser();
    assertThat(get("/api/auth/me", first.accessToken()).status()).isEqualTo(200);
    assertThat(get("/api/auth/me", second.accessToken()).status()).isEqualTo(200);

    assertThat(redis.opsForZSet().score("constellation:active-users", first.userId()).block())
        .isNotNull();
    assertThat(redis.opsForZSet().score("constellation:active-users", second.userId()).block())
        .isNotNull();
    long members = redis.opsForZSet().size("constellation:active-users").block();
    // The gauge follows the shared set within its refresh period.
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (sample("constellation_users_active", "") < members && System.nanoTime() < deadline)
      Thread.sleep(200);
    assertThat(sample("constellation_users_active", "")).isGreaterThanOrEqualTo(members);
  }

  @Test
  void proxiedRequestsAreTaggedWithTheirRouteAndTemplateNeverTheId() {
    Session user = anyUser();
    get("/api/projects/p-metrics-4711", user.accessToken());
    String metrics = get("/actuator/prometheus", null).body();
    assertThat(metrics)
        .containsPattern(
            "http_server_requests_seconds_count\\{[^}]*route=\"project-service\"[^}]*uri=\"/api/projects/\\{id}\"");
    assertThat(metrics).doesNotContain("p-metrics-4711");
    assertThat(metrics).contains("http_server_requests_seconds_bucket{application=\"api-gateway\"");
  }

  /** The value of one series of the gateway's /actuator/prometheus; 0 when it has none. */
  private double sample(String name, String labels) {
    String body = get("/actuator/prometheus", null).body();
    Matcher m =
        Pattern.compile(
                "(?m)^"
                    + Pattern.quote(name)
                    + "\\{[^}]*"
                    + Pattern.quote(labels)
                    + "[^}]*} (\\S+)$")
            .matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
