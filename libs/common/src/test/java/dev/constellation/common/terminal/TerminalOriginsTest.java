package dev.constellation.common.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalOriginsTest {
  private static final List<String> CONFIGURED = List.of("https://ide.example.com/");

  @Test
  void acceptsTheRequestsOwnHostAndConfiguredOrigins() {
    assertThat(TerminalOrigins.allowed("http://localhost:8000", "localhost:8000", CONFIGURED))
        .isTrue();
    assertThat(TerminalOrigins.allowed("https://IDE.example.com", "127.0.0.1:8003", CONFIGURED))
        .isTrue();
    assertThat(TerminalOrigins.allowed("https://app.example.org", "app.example.org", CONFIGURED))
        .isTrue();
    assertThat(
            TerminalOrigins.allowed("https://app.example.org", "app.example.org:443", CONFIGURED))
        .isTrue();
  }

  @Test
  void refusesMissingForeignAndLookAlikeOrigins() {
    assertThat(TerminalOrigins.allowed(null, "localhost:8000", CONFIGURED)).isFalse();
    assertThat(TerminalOrigins.allowed("", "localhost:8000", CONFIGURED)).isFalse();
    assertThat(TerminalOrigins.allowed("null", "localhost:8000", CONFIGURED)).isFalse();
    assertThat(TerminalOrigins.allowed("https://evil.example.net", "localhost:8000", CONFIGURED))
        .isFalse();
    assertThat(TerminalOrigins.allowed("http://localhost:9999", "localhost:8000", CONFIGURED))
        .isFalse();
    assertThat(TerminalOrigins.allowed("http://localhost:9999", "localhost", CONFIGURED)).isFalse();
    assertThat(
            TerminalOrigins.allowed(
                "https://ide.example.com.evil.net", "localhost:8000", CONFIGURED))
        .isFalse();
    assertThat(TerminalOrigins.allowed("http://localhost:8000", null, CONFIGURED)).isFalse();
    assertThat(TerminalOrigins.allowed("file://localhost:8000", "localhost:8000", CONFIGURED))
        .isFalse();
  }
}
