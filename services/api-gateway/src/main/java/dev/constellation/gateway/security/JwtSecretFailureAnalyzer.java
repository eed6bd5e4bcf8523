package dev.constellation.gateway.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A short JWT_SECRET surfaces as an exception deep inside bean creation; this turns it into the
 * plain "why and what to do" block Spring Boot prints at the end of a failed start.
 */
class JwtSecretFailureAnalyzer extends AbstractFailureAnalyzer<IllegalArgumentException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, IllegalArgumentException cause) {
    if (cause.getMessage() == null || !cause.getMessage().contains("JWT_SECRET")) {
      return null;
    }
    return new FailureAnalysis(
        "The api-gateway refuses to start: "
            + cause.getMessage()
            + ". Access tokens are signed with HS256, whose key must have at least 256 bits.",
        "Set JWT_SECRET to a random value of 32 bytes or more (e.g. `openssl rand -base64 48`), the same for every service.",
        cause);
  }
}
