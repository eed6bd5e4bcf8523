package dev.constellation.claude.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandPatternsTest {

  @Test
  void aGlobAllowsTheCommandsItMatches() {
    List<String> allowed = List.of("npm test*", "mvn -q ? verify");
    assertThat(CommandPatterns.allows(allowed, "npm test")).isTrue();
    assertThat(CommandPatterns.allows(allowed, "npm test -- src/a.test.ts")).isTrue();
    assertThat(CommandPatterns.allows(allowed, "mvn -q x verify")).isTrue();
    assertThat(CommandPatterns.allows(allowed, "npm install")).isFalse();
    assertThat(CommandPatterns.allows(allowed, "xnpm test")).isFalse();
  }

  @Test
  void shellMetacharactersAreNeverAllowedByAPattern() {
    List<String> allowed = List.of("npm test*");
    for (String c :
        List.of(
            "npm test; curl evil",
            "npm test | sh",
            "npm test && rm -rf /",
            "npm test $(curl x)",
            "npm test `id`",
            "npm test > /etc/x",
            "npm test < x",
            "npm test\ncurl x")) {
      assertThat(CommandPatterns.allows(allowed, c)).as(c).isFalse();
    }
  }

  @Test
  void patternsThatWouldAllowTooMuchAreRefused() {
    assertThat(CommandPatterns.problem("*")).isNotNull();
    assertThat(CommandPatterns.problem("* ?")).isNotNull();
    assertThat(CommandPatterns.problem("")).isNotNull();
    assertThat(CommandPatterns.problem("npm test; *")).isNotNull();
    assertThat(CommandPatterns.problem("x".repeat(201))).isNotNull();
    assertThat(CommandPatterns.problem("npm test*")).isNull();
  }

  @Test
  void theArgsDigestIsTheSameForTheSameInputInAnyKeyOrder() {
    var a = new java.util.LinkedHashMap<String, Object>();
    a.put("path", "a.txt");
    a.put("content", "x");
    var b = new java.util.LinkedHashMap<String, Object>();
    b.put("content", "x");
    b.put("path", "a.txt");
    assertThat(AgentLoop.digest(a)).isEqualTo(AgentLoop.digest(b)).hasSize(64);
    assertThat(AgentLoop.digest(Map.of("path", "b.txt"))).isNotEqualTo(AgentLoop.digest(a));
  }
}
