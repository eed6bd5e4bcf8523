package dev.constellation.claude.config;

import dev.constellation.claude.usage.UsageService;
import dev.constellation.common.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * Problems that need more than the shared handler gives: Retry-After on a spent budget or a full
 * per-user cap, the field name on validation failures, and silence for a client that left
 * mid-stream.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ClaudeExceptionHandler {

  @ExceptionHandler(UsageService.RetryLaterException.class)
  ResponseEntity<ProblemDetail> retryLater(UsageService.RetryLaterException e) {
    return ResponseEntity.status(e.status())
        .header("Retry-After", String.valueOf(e.retryAfterSeconds()))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(Problems.of(e));
  }

  @ExceptionHandler(InvalidFieldException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidFieldException e) {
    ProblemDetail problem = Problems.of(e);
    problem.setProperty("field", e.field());
    return ResponseEntity.status(e.status())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  // The client of an event stream went away: there is no one to answer, and it is not an error.
  @ExceptionHandler(AsyncRequestNotUsableException.class)
  void clientGone(AsyncRequestNotUsableException e) {}
}
