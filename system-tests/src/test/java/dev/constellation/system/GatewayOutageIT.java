package dev.constellation.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.ServiceProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewayOutageIT {

  @Test
  void answersProblem503WithinTwoSecondsWhileAServiceIsDownAndRecovers() throws Exception {
    Api api = new Api(SystemStack.gatewayUrl());
    Api.Session alice = api.register("alice");
    assertThat(api.get("/api/projects", alice.accessToken()).statusCode()).isEqualTo(200);

    ServiceProcess projects = SystemStack.get().service("project-service");
    projects.kill();

    long started = System.nanoTime();
    HttpResponse<String> down = api.get("/api/projects", alice.accessToken());
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(Api.json(down).path("requestId").asString()).isNotBlank();
    assertThat(took).isLessThan(Duration.ofSeconds(2));

    projects.start();
    projects.awaitReady(Duration.ofSeconds(120));
    HttpResponse<String> back = awaitStatus(api, alice.accessToken(), 200, Duration.ofSeconds(30));
    assertThat(back.statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> awaitStatus(
      Api api, String token, int status, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> response = api.get("/api/projects", token);
    while (response.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(500);
      response = api.get("/api/projects", token);
    }
    return response;
  }
}
