package dev.constellation.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.constellation.common.auth.JwtCodec;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class JwtSecretFailureAnalyzerTest {

  @Test
  void explainsAShortSecret() {
    Throwable cause =
        catchThrowable(
            () ->
                new JwtCodec("too-short", "constellation", "constellation-api", Clock.systemUTC()));
    FailureAnalysis analysis =
        new JwtSecretFailureAnalyzer()
            .analyze(new BeanCreationException("jwtCodec", "failed", cause));
    assertThat(analysis).isNotNull();
    assertThat(analysis.getDescription()).contains("JWT_SECRET", "32 bytes");
    assertThat(analysis.getAction()).contains("JWT_SECRET");
  }

  @Test
  void leavesOtherFailuresAlone() {
    assertThat(
            new JwtSecretFailureAnalyzer().analyze(new IllegalArgumentException("something else")))
        .isNull();
  }
}
