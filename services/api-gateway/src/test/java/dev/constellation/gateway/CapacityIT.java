package dev.constellation.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** The bulkhead's size is ours, and a full one is a 503 problem with Retry-After, never a 500. */
@TestPropertySource(properties = "constellation.services.capacity.max-concurrent-calls=2")
class CapacityIT extends GatewayTestBase {

  @Test
  void aFullBulkheadIsA503WithRetryAfterAndFreesUpAgain() throws Exception {
    Session user = anyUser();
    int before = WORKSPACE.requests.get();
    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      slow.add(
          http.sendAsync(
              request("/api/projects/p1/files", user.accessToken())
                  .header("X-Fake-Delay-Ms", "1500")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (WORKSPACE.requests.get() < before + 2 && System.nanoTime() < deadline) Thread.sleep(20);

    Response refused = get("/api/projects/p1/files", user.accessToken());
    assertProblem(refused, 503);
    assertThat(refused.header("Retry-After")).isNotBlank();
    // Another service's bulkhead is its own.
    assertThat(get("/api/projects/p1", user.accessToken()).status()).isEqualTo(200);

    for (var call : slow) assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    // The refusals did not trip the breaker: the service answers again at once.
    assertThat(get("/api/projects/p1/files", user.accessToken()).status()).isEqualTo(200);
  }
}
