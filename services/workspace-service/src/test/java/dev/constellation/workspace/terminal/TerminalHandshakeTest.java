package dev.constellation.workspace.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.workspace.config.WorkspaceProperties;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class TerminalHandshakeTest {
  private final TerminalHandshake handshake =
      new TerminalHandshake(null, null, properties(List.of("https://ide.example.com/")));

  private static WorkspaceProperties properties(List<String> origins) {
    return new WorkspaceProperties(
        WorkspaceProperties.RuntimeKind.DOCKER,
        Path.of("/tmp"),
        "img",
        Duration.ofMinutes(30),
        Duration.ofSeconds(30),
        "default",
        new WorkspaceProperties.Limits(1, 1, 1),
        new WorkspaceProperties.Isolation(1000, true, true, true, "/home/dev", "64m"),
        new WorkspaceProperties.Network(
            "n", false, List.of(), WorkspaceProperties.FirewallMode.SERVICE),
        new WorkspaceProperties.Files(1),
        new WorkspaceProperties.Exec(
            Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1, 1, Duration.ofSeconds(1), true),
        new WorkspaceProperties.Terminal(
            Duration.ofSeconds(60),
            origins,
            List.of("bash"),
            1,
            1,
            1024,
            1024,
            1024,
            Duration.ofSeconds(1),
            20,
            100),
        new WorkspaceProperties.Local(true, false, List.of(), false));
  }

  private static HttpHeaders headers(String origin, String host, String forwardedHost) {
    HttpHeaders h = new HttpHeaders();
    if (origin != null) h.setOrigin(origin);
    if (host != null) h.set(HttpHeaders.HOST, host);
    if (forwardedHost != null) h.set("X-Forwarded-Host", forwardedHost);
    return h;
  }

  @Test
  void acceptsTheRequestsOwnHostAndConfiguredOrigins() {
    assertThat(handshake.originAllowed(headers("http://localhost:8000", "localhost:8000", null)))
        .isTrue();
    assertThat(handshake.originAllowed(headers("https://ide.example.com", "127.0.0.1:8003", null)))
        .isTrue();
    assertThat(
            handshake.originAllowed(
                headers("https://app.example.org", "app.example.org:443", null)))
        .isTrue();
    assertThat(handshake.originAllowed(headers("https://app.example.org", "app.example.org", null)))
        .isTrue();
  }

  @Test
  void refusesMissingOriginsAndNeverBelievesOriginOverrideHeaders() {
    assertThat(handshake.originAllowed(headers(null, "localhost:8003", null))).isFalse();
    assertThat(
            handshake.originAllowed(
                headers("https://app.example.org", "127.0.0.1:8003", "app.example.org")))
        .isFalse();
    assertThat(handshake.originAllowed(headers("http://localhost:9999", "localhost", null)))
        .isFalse();
  }

  @Test
  void refusesForeignOrigins() {
    assertThat(handshake.originAllowed(headers("https://evil.example.net", "localhost:8003", null)))
        .isFalse();
    assertThat(handshake.originAllowed(headers("http://localhost:9999", "localhost:8000", null)))
        .isFalse();
    assertThat(handshake.originAllowed(headers("null", "localhost:8000", null))).isFalse();
    assertThat(
            handshake.originAllowed(
                headers("https://ide.example.com.evil.net", "localhost:8000", null)))
        .isFalse();
  }

  @Test
  void findsTheProjectIdOnlyOnTheTerminalPath() {
    assertThat(TerminalHandshake.projectIdOf(URI.create("/api/projects/abc-1/terminal?ticket=x")))
        .isEqualTo("abc-1");
    assertThat(TerminalHandshake.projectIdOf(URI.create("/api/projects/../terminal"))).isNull();
    assertThat(TerminalHandshake.projectIdOf(URI.create("/api/projects/a/terminal/x"))).isNull();
  }
}
