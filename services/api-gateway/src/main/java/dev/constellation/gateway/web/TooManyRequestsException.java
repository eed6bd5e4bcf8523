package dev.constellation.gateway.web;

import dev.constellation.common.problem.ApiException;
import org.springframework.http.HttpStatus;

/** A rate limit was hit; the handler turns {@link #retryAfterSeconds()} into Retry-After. */
public final class TooManyRequestsException extends ApiException {
  private final long retryAfterSeconds;

  public TooManyRequestsException(String detail, long retryAfterSeconds) {
    super(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests", detail);
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
