package dev.constellation.claude.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ProblemDetail;

/** The body of an {@code error} event on an AI stream: the problem's fields, flat, as JSON. */
public final class ProblemEvents {
  private ProblemEvents() {}

  public static Map<String, Object> body(ProblemDetail problem) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", String.valueOf(problem.getType()));
    body.put("title", problem.getTitle());
    body.put("status", problem.getStatus());
    body.put("detail", problem.getDetail());
    if (problem.getProperties() != null) body.putAll(problem.getProperties());
    return body;
  }
}
