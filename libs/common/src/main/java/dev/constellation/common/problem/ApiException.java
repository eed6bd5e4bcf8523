package dev.constellation.common.problem;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A failure the caller can understand and act on; turned into an RFC 9457 problem in one place per
 * web stack. Extra members of the problem body ({@link #withProperty}) and response headers ({@link
 * #withHeader}, {@link #retryAfter}) travel with it, so that both handlers write them the same way.
 */
public class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final String type;
  private final String title;
  private final Map<String, Object> properties = new LinkedHashMap<>();
  private final HttpHeaders headers = new HttpHeaders();

  public ApiException(ProblemType type, String detail) {
    this(type.status(), type.slug(), type.title(), detail);
  }

  /** For a title that names the case (e.g. the field); the type still comes from the table. */
  public ApiException(ProblemType type, String title, String detail) {
    this(type.status(), type.slug(), title, detail);
  }

  /**
   * Prefer {@link #ApiException(ProblemType, String)}: a slug not in {@link ProblemType} is a
   * second name for a failure waiting to happen.
   */
  public ApiException(HttpStatus status, String type, String title, String detail) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    // Defaults every refusal of its kind carries, whichever stack writes it; callers may override.
    if (status == HttpStatus.UNAUTHORIZED) headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    if (status == HttpStatus.SERVICE_UNAVAILABLE || status == HttpStatus.TOO_MANY_REQUESTS)
      retryAfter(Duration.ofSeconds(2));
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(ProblemType.BAD_REQUEST, detail);
  }

  public static ApiException validation(String field, String detail) {
    return new ApiException(ProblemType.VALIDATION, "Invalid field '" + field + "'", detail)
        .withProperty("field", field);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(ProblemType.NOT_FOUND, detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(ProblemType.FORBIDDEN, detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(ProblemType.CONFLICT, detail);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(ProblemType.UNAUTHORIZED, detail);
  }

  /** A refusal for now: 429 or 503 with Retry-After, the one place that header is set. */
  public static ApiException tooManyRequests(String detail, Duration retryAfter) {
    return new ApiException(ProblemType.RATE_LIMITED, detail).retryAfter(retryAfter);
  }

  public static ApiException unavailable(String detail, Duration retryAfter) {
    return new ApiException(ProblemType.SERVICE_UNAVAILABLE, detail).retryAfter(retryAfter);
  }

  /** Adds a member to the problem body (e.g. {@code field}, {@code limit}). */
  public ApiException withProperty(String name, Object value) {
    properties.put(name, value);
    return this;
  }

  public ApiException withHeader(String name, String value) {
    headers.set(name, value);
    return this;
  }

  /** Sets Retry-After in whole seconds, at least one. */
  public ApiException retryAfter(Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return withHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
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

  public Map<String, Object> properties() {
    return Collections.unmodifiableMap(properties);
  }

  /** Response headers to send with the problem. */
  public HttpHeaders headers() {
    return HttpHeaders.readOnlyHttpHeaders(headers);
  }
}
