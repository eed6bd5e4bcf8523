package dev.constellation.gateway.web;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import java.time.Duration;

/**
 * A rate limit was hit: a 429 problem whose Retry-After travels with it (see {@link
 * ApiException#retryAfter}).
 */
public final class TooManyRequestsException extends ApiException {

  public TooManyRequestsException(String detail, long retryAfterSeconds) {
    super(ProblemType.RATE_LIMITED, detail);
    retryAfter(Duration.ofSeconds(Math.max(1, retryAfterSeconds)));
  }
}
