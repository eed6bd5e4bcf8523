package dev.constellation.workspace.concurrency;

import dev.constellation.common.problem.ApiException;
import org.springframework.http.HttpStatus;

/** A concurrency cap was reached; answered 429 with {@code Retry-After}. */
public class TooManyConcurrentException extends ApiException {
  private final long retryAfterSeconds;

  TooManyConcurrentException(String type, String title, String detail, long retryAfterSeconds) {
    super(HttpStatus.TOO_MANY_REQUESTS, type, title, detail);
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
