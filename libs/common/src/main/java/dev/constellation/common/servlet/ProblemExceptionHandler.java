package dev.constellation.common.servlet;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.problem.Problems;
import dev.constellation.common.problem.ValidationMessages;
import dev.constellation.common.resilience.StorageOutages;
import jakarta.validation.ConstraintViolationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** The one place an MVC service turns failures into RFC 9457 problems. */
@RestControllerAdvice
public class ProblemExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return ResponseEntity.status(e.status())
        .headers(e.headers())
        .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
        .body(Problems.of(e));
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e) {
    var error = e.getBindingResult().getFieldErrors().stream().findFirst();
    String field = error.map(f -> f.getField()).orElse("body");
    String detail = error.map(ValidationMessages::sentence).orElse("The request body is invalid.");
    ProblemDetail problem =
        Problems.of(
            HttpStatus.BAD_REQUEST,
            ProblemType.VALIDATION.slug(),
            "Invalid field '" + field + "'",
            detail);
    problem.setProperty("field", field);
    return respond(problem);
  }

  @ExceptionHandler(ConstraintViolationException.class)
  ResponseEntity<ProblemDetail> constraint(ConstraintViolationException e) {
    return respond(Problems.of(ProblemType.VALIDATION, e.getMessage()));
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
    return respond(
        Problems.of(
            ProblemType.MALFORMED_BODY, "The request body is not valid JSON for this endpoint."));
  }

  @ExceptionHandler({
    MissingServletRequestParameterException.class,
    MethodArgumentTypeMismatchException.class
  })
  ResponseEntity<ProblemDetail> badParameter(Exception e) {
    return respond(Problems.of(ProblemType.BAD_PARAMETER, e.getMessage()));
  }

  @ExceptionHandler(MaxUploadSizeExceededException.class)
  ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e) {
    return respond(
        Problems.of(
            ProblemType.TOO_LARGE, "The upload exceeds the size this installation accepts."));
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ProblemDetail> noRoute(NoResourceFoundException e) {
    return respond(Problems.of(ProblemType.NOT_FOUND, "No such endpoint."));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
    return respond(Problems.of(ProblemType.METHOD_NOT_ALLOWED, e.getMessage()));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
    return respond(Problems.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, e.getMessage()));
  }

  /**
   * The client left, typically an event stream's: there is no one to answer, and nothing went wrong
   * on our side (an answer would also fail: the stream's content type takes no problem JSON).
   */
  @ExceptionHandler(AsyncRequestNotUsableException.class)
  @Nullable ResponseEntity<ProblemDetail> clientGone(AsyncRequestNotUsableException e) {
    log.debug("client gone: {}", e.getMessage());
    return null;
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    if (StorageOutages.isOutage(e)) {
      log.warn("storage unavailable: {}", e.toString());
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .header("Retry-After", StorageOutages.RETRY_AFTER_SECONDS)
          .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
          .body(StorageOutages.problem());
    }
    log.error("unexpected failure", e);
    return respond(
        Problems.of(
            ProblemType.INTERNAL,
            "Something went wrong on our side; the request id identifies it in the logs."));
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus())
        .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
