package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A fork bomb or a memory hog stays inside its workspace, other workspaces answer, and the user is
 * told.
 */
class ResourceExhaustionIT {

  @Test
  @Checklist("B22")
  void aForkBombAndAMemoryHogAreConfinedAndReported() throws Exception {
    Workspaces.requireDocker();
    Workspaces.Project bomb = Workspaces.newProject("fork-bomb").start();
    Workspaces.Project other = Workspaces.newProject("neighbour").start();
    try {
      CompletableFuture<JsonNode> forkBomb =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  // In the foreground, so that the exec's timeout is what ends it.
                  return bomb.exec("b() { b | b; }; b", 15);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(4000);
      assertNeighbourAnswers(other);
      JsonNode result = forkBomb.get(60, TimeUnit.SECONDS);
      assertThat(result.path("timedOut").asBoolean()).as(result.toString()).isTrue();
      assertThat(result.path("killedBy").asString()).isEqualTo("timeout");
      assertThat(result.path("limitsReached").toString())
          .as("limits the bomb hit")
          .contains("processes");
      // The bomb's processes went with the timeout: the workspace works again.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      String after = "";
      while (System.nanoTime() < deadline && !after.equals("recovered\n")) {
        var response = bomb.execResponse("echo recovered", 10);
        after =
            response.statusCode() == 200
                ? dev.constellation.system.Api.json(response).path("stdout").asString()
                : "";
      }
      assertThat(after).isEqualTo("recovered\n");

      CompletableFuture<JsonNode> memoryHog =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return bomb.exec(
                      "python3 -c \"a = []\nwhile True: a.append(b'x' * (64 << 20))\"", 60);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      assertNeighbourAnswers(other);
      JsonNode hog = memoryHog.get(90, TimeUnit.SECONDS);
      assertThat(hog.path("timedOut").asBoolean()).as(hog.toString()).isFalse();
      assertThat(hog.path("exitCode").asInt()).isEqualTo(137);
      assertThat(hog.path("killedBy").asString()).isEqualTo("out-of-memory");
      assertThat(hog.path("limitsReached").toString()).contains("memory");
      assertThat(bomb.exec("echo alive").path("stdout").asString()).isEqualTo("alive\n");
    } finally {
      bomb.delete();
      other.delete();
    }
  }

  private static void assertNeighbourAnswers(Workspaces.Project other) throws Exception {
    long began = System.nanoTime();
    assertThat(other.exec("echo neighbour-fine", 10).path("stdout").asString())
        .isEqualTo("neighbour-fine\n");
    assertThat(Duration.ofNanos(System.nanoTime() - began))
        .as("the other workspace's exec")
        .isLessThan(Duration.ofSeconds(10));
  }
}
