package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ExecStreamIT extends DockerStack {

  private ExecStreamClient stream(String user, String p, Map<String, ?> body) throws Exception {
    return ExecStreamClient.open(port, as(user).token, p, body);
  }

  /** Whether a process whose arguments are exactly {@code args} runs in the workspace. */
  private boolean running(String p, String args) {
    String out =
        as("alice")
            .exec(p, "ps -eo args= | grep -qx '" + args + "' && echo yes || echo no")
            .get("stdout")
            .asString();
    return out.equals("yes\n");
  }

  @Test
  void streamsEachStreamAsItArrivesThenTheOutcome() throws Exception {
    String p = project("alice", "EDITOR");
    try (var s =
        stream(
            "alice",
            p,
            Map.of("command", "pwd; echo one; sleep 2; echo two >&2; printf 'é'; exit 4"))) {
      assertThat(s.status).isEqualTo(200);
      assertThat(s.headers).containsIgnoringCase("application/x-ndjson");
      JsonNode first = s.nextLine();
      // keep-alives (empty stdout text) may come while the workspace starts the command
      while (first.path("text").asString("x").isEmpty()) first = s.nextLine();
      long firstAt = System.nanoTime();
      assertThat(first.path("stream").asString("")).as(first.toString()).isEqualTo("stdout");
      assertThat(first.get("text").asString()).startsWith("/workspace\n");
      List<JsonNode> rest = s.rest();
      long lastAt = System.nanoTime();
      // "one" came before the command ended, not collected at its end
      assertThat((lastAt - firstAt) / 1_000_000).isGreaterThan(1000);
      String stdout =
          first.get("text").asString()
              + rest.stream()
                  .filter(l -> "stdout".equals(l.path("stream").asString("")))
                  .map(l -> l.get("text").asString())
                  .reduce("", String::concat);
      assertThat(stdout).isEqualTo("/workspace\none\né");
      assertThat(rest)
          .anySatisfy(
              l -> {
                assertThat(l.path("stream").asString("")).isEqualTo("stderr");
                assertThat(l.get("text").asString()).isEqualTo("two\n");
              });
      JsonNode done = rest.get(rest.size() - 1);
      assertThat(done.get("done").asBoolean()).isTrue();
      assertThat(done.get("exitCode").asInt()).isEqualTo(4);
      assertThat(done.get("timedOut").asBoolean()).isFalse();
      assertThat(done.get("killedBy").isNull()).isTrue();
      assertThat(done.get("truncated").asBoolean()).isFalse();
    }
  }

  @Test
  void droppingTheConnectionKillsTheCommandsWholeProcessGroupWithinASecond() throws Exception {
    String p = project("alice", "EDITOR");
    var s =
        stream(
            "alice",
            p,
            Map.of(
                "command",
                "sh -c 'sleep 4; touch late-marker' & echo started; sleep 301",
                "timeoutSeconds",
                120));
    assertThat(s.status).isEqualTo(200);
    JsonNode line;
    do line = s.nextLine();
    while (line != null && !line.path("text").asString("").contains("started"));
    assertThat(line).isNotNull();
    assertThat(running(p, "sleep 301")).isTrue();
    s.close();
    long closedAt = System.nanoTime();
    long goneAfterMs = -1;
    while ((System.nanoTime() - closedAt) / 1_000_000 < 5000) {
      if (!running(p, "sleep 301")) {
        goneAfterMs = (System.nanoTime() - closedAt) / 1_000_000;
        break;
      }
    }
    System.out.println("exec/stream: command gone " + goneAfterMs + " ms after the close");
    // The check itself is an exec (~100-300 ms): the kill happened before it answered.
    assertThat(goneAfterMs).as("ms until the command was gone").isBetween(0L, 1500L);
    assertThat(running(p, "sleep 4")).isFalse();
    Thread.sleep(5000);
    assertThat(Files.exists(ROOT.resolve(p).resolve("late-marker"))).isFalse();
  }

  @Test
  void theTimeoutKillsTheWholeProcessGroupToo() throws Exception {
    String p = project("alice", "EDITOR");
    try (var s =
        stream(
            "alice",
            p,
            Map.of(
                "command",
                "sh -c 'sleep 4; touch late-marker' & echo started; sleep 302",
                "timeoutSeconds",
                2))) {
      List<JsonNode> lines = s.rest();
      JsonNode done = lines.get(lines.size() - 1);
      assertThat(done.get("timedOut").asBoolean()).isTrue();
      assertThat(done.get("killedBy").asString()).isEqualTo("timeout");
    }
    assertThat(running(p, "sleep 302")).isFalse();
    Thread.sleep(4000);
    assertThat(Files.exists(ROOT.resolve(p).resolve("late-marker"))).isFalse();
  }

  @Test
  void capsOutputAndSaysSo() throws Exception {
    String p = project("alice", "EDITOR");
    try (var s = stream("alice", p, Map.of("command", "head -c 3000000 /dev/zero | tr '\\0' a"))) {
      List<JsonNode> lines = s.rest();
      long chars =
          lines.stream()
              .filter(l -> l.has("text"))
              .mapToLong(l -> l.get("text").asString().length())
              .sum();
      assertThat(chars).isEqualTo(1024 * 1024);
      JsonNode done = lines.get(lines.size() - 1);
      assertThat(done.get("truncated").asBoolean()).isTrue();
      assertThat(done.get("exitCode").asInt()).isZero();
    }
  }

  @Test
  void refusesBadInputAndViewersWithProblemsBeforeRunningAnything() throws Exception {
    String p = project("alice", "EDITOR");
    for (Map<String, ?> body :
        List.of(
            Map.of("command", ""),
            Map.of("timeoutSeconds", 5),
            Map.of("command", "touch made", "timeoutSeconds", 100000))) {
      try (var s = stream("alice", p, body)) {
        assertThat(s.status).as(body.toString()).isEqualTo(400);
        assertThat(s.headers).containsIgnoringCase("application/problem+json");
      }
    }
    String viewed = project("bob", "VIEWER");
    try (var s = stream("bob", viewed, Map.of("command", "touch made"))) {
      assertThat(s.status).isEqualTo(403);
      assertThat(s.headers).containsIgnoringCase("application/problem+json");
    }
    assertThat(Files.exists(ROOT.resolve(p).resolve("made"))).isFalse();
    assertThat(Files.exists(ROOT.resolve(viewed).resolve("made"))).isFalse();
  }
}
