package dev.constellation.common.problem;

import dev.constellation.common.web.RequestIds;
import java.net.URI;
import org.slf4j.MDC;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the one error body every endpoint of every service answers with (RFC 9457). */
public final class Problems {
  public static final String TYPE_BASE = "https://constellation.dev/problems/";

  private Problems() {}

  public static ProblemDetail of(HttpStatusCode status, String type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(TYPE_BASE + type));
    problem.setTitle(title);
    String requestId = MDC.get(RequestIds.MDC_KEY);
    if (requestId != null) {
      problem.setProperty("requestId", requestId);
    }
    return problem;
  }

  public static ProblemDetail of(ProblemType type, String detail) {
    return of(type.status(), type.slug(), type.title(), detail);
  }

  public static ProblemDetail of(ApiException e) {
    ProblemDetail problem = of(e.status(), e.type(), e.title(), e.getMessage());
    e.properties().forEach(problem::setProperty);
    return problem;
  }
}
