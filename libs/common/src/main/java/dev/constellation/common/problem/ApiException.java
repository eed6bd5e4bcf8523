package dev.constellation.common.problem;

import org.springframework.http.HttpStatus;

/**
 * A failure the caller can understand and act on; turned into an RFC 9457 problem in one place
 * per web stack.
 */
public class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final String type;
  private final String title;

  public ApiException(HttpStatus status, String type, String title, String detail) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail);
  }

  public static ApiException validation(String field, String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, "validation", "Invalid field '" + field + "'", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(HttpStatus.CONFLICT, "conflict", "Conflict", detail);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail);
  }

  public HttpStatus status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }
}
