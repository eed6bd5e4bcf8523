package dev.constellation.gateway.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes a problem built by {@code Problems} as the response body, with the request's id. */
public final class ProblemWriter {
  private final JsonMapper json;

  public ProblemWriter(JsonMapper json) {
    this.json = json;
  }

  public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem) {
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(org.springframework.http.HttpStatusCode.valueOf(problem.getStatus()));
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    // Whatever a downstream or a handler had set describes a body we are not sending.
    response.getHeaders().remove("Content-Length");
    response.getHeaders().remove("Content-Encoding");
    byte[] body =
        json.writeValueAsString(toMap(problem, RequestContext.requestId(exchange)))
            .getBytes(StandardCharsets.UTF_8);
    DataBuffer buffer = response.bufferFactory().wrap(body);
    return response.writeWith(Mono.just(buffer));
  }

  static Map<String, Object> toMap(ProblemDetail problem, String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", problem.getType().toString());
    body.put("title", problem.getTitle());
    body.put("status", problem.getStatus());
    body.put("detail", problem.getDetail());
    if (problem.getInstance() != null) body.put("instance", problem.getInstance().toString());
    if (problem.getProperties() != null) body.putAll(problem.getProperties());
    if (requestId != null) body.put("requestId", requestId);
    return body;
  }
}
