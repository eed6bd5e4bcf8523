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

/** The one problem that needs a header the shared handler does not set: Retry-After on a spent budget. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ClaudeExceptionHandler {

  @ExceptionHandler(UsageService.BudgetExceededException.class)
  ResponseEntity<ProblemDetail> budget(UsageService.BudgetExceededException e) {
    return ResponseEntity.status(e.status())
        .header("Retry-After", String.valueOf(e.retryAfterSeconds()))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(Problems.of(e));
  }
}
