package dev.constellation.common.secrets;

import dev.constellation.common.secrets.ProductionSecretsCheck.WeakSecretException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Puts the reason of a {@link WeakSecretException} in the log's message as Boot's "APPLICATION
 * FAILED TO START" report, instead of inside a stack trace an operator has to dig through.
 */
final class WeakSecretFailureAnalyzer extends AbstractFailureAnalyzer<WeakSecretException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, WeakSecretException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Put strong values in .env (make dev-setup generates them; or `openssl rand -hex 32`) and start again.",
        cause);
  }
}
