package dev.constellation.workspace.concurrency;

import dev.constellation.common.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The shared handler has no headers: this one adds Retry-After to a concurrency refusal. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class TooManyConcurrentHandler {
  @ExceptionHandler(TooManyConcurrentException.class)
  ResponseEntity<ProblemDetail> tooMany(TooManyConcurrentException e) {
    return ResponseEntity.status(e.status())
        .header("Retry-After", String.valueOf(e.retryAfterSeconds()))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(Problems.of(e));
  }
}
