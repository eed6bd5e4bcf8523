package dev.constellation.claude.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.constellation.common.access.ProjectAccessClient;
import dev.constellation.common.access.ProjectRole;
import dev.constellation.common.auth.JwtCodec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/**
 * The shared access cache (libs/common) against a real HTTP answer that is slow on purpose: an
 * invalidation that arrives while a fetch is under way must not let that fetch's (old) role be
 * served from the cache afterwards.
 */
class AccessCacheVersionIT {

  @Test
  void aFetchThatStartedBeforeAnInvalidationIsNotServedFromTheCache() throws Exception {
    AtomicReference<String> role = new AtomicReference<>("OWNER");
    AtomicInteger requests = new AtomicInteger();
    CountDownLatch firstArrived = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    HttpServer projectService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    projectService.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    projectService.createContext(
        "/internal/projects/p1/access",
        exchange -> {
          String answer = role.get();
          if (requests.incrementAndGet() == 1) {
            firstArrived.countDown();
            try {
              releaseFirst.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] body =
              ("{\"projectId\":\"p1\",\"userId\":\"u1\",\"role\":\"" + answer + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    projectService.start();
    try {
      ProjectAccessClient client =
          new ProjectAccessClient(
              RestClient.builder()
                  .baseUrl("http://127.0.0.1:" + projectService.getAddress().getPort())
                  .build(),
              new JwtCodec(
                  "an-access-cache-test-secret-of-32-bytes!",
                  "constellation",
                  "constellation-api",
                  Clock.systemUTC()),
              "claude-service",
              Duration.ofSeconds(30),
              Clock.systemUTC());

      // Given a fetch that read OWNER and is still on its way back,
      CompletableFuture<ProjectRole> slow =
          CompletableFuture.supplyAsync(() -> client.roleOf("u1", "p1"));
      assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue();
      // when the owner is demoted and project-service announces it,
      role.set("VIEWER");
      client.invalidate("p1");
      releaseFirst.countDown();
      assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo(ProjectRole.OWNER);

      // then the next check asks again and sees the demotion, instead of the stale OWNER for 30 s.
      assertThat(client.roleOf("u1", "p1")).isEqualTo(ProjectRole.VIEWER);
      assertThat(requests.get()).isEqualTo(2);
      // And a fresh answer is cached as before.
      assertThat(client.roleOf("u1", "p1")).isEqualTo(ProjectRole.VIEWER);
      assertThat(requests.get()).isEqualTo(2);
    } finally {
      projectService.stop(0);
    }
  }
}
