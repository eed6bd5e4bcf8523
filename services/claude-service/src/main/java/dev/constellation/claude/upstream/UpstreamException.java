package dev.constellation.claude.upstream;

import dev.constellation.common.problem.ApiException;
import org.springframework.http.HttpStatus;

/**
 * The upstream failed in a way retries did not fix. Carries a problem the user can act on and never
 * the upstream's raw answer, which could echo request details.
 */
public class UpstreamException extends ApiException {
  private final int upstreamStatus;

  UpstreamException(
      HttpStatus status, String type, String title, String detail, int upstreamStatus) {
    super(status, type, title, detail);
    this.upstreamStatus = upstreamStatus;
  }

  /**
   * HTTP status the upstream answered with; 0 for a connection failure, -1 for a mid-stream error
   * event.
   */
  public int upstreamStatus() {
    return upstreamStatus;
  }
}
