package dev.constellation.gateway.preview;

import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The preview origin's own refusals: an RFC 9457 problem, or a short page for a browser tab (the
 * IDE's error handler and headers are not in this path).
 */
final class PreviewPages {
  private final JsonMapper json;

  PreviewPages(JsonMapper json) {
    this.json = json;
  }

  Mono<Void> write(ServerWebExchange exchange, ProblemType type, String detail) {
    var response = exchange.getResponse();
    if (response.isCommitted()) return Mono.empty();
    response.setStatusCode(type.status());
    HttpHeaders headers = response.getHeaders();
    headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors *");
    byte[] body;
    if (wantsHtml(exchange)) {
      headers.setContentType(new MediaType("text", "html", StandardCharsets.UTF_8));
      body =
          ("<!doctype html><meta charset=utf-8><title>"
                  + HtmlUtils.htmlEscape(type.title())
                  + "</title><h1>"
                  + HtmlUtils.htmlEscape(type.title())
                  + "</h1><p>"
                  + HtmlUtils.htmlEscape(detail)
                  + "</p>")
              .getBytes(StandardCharsets.UTF_8);
    } else {
      headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
      Map<String, Object> problem = new LinkedHashMap<>();
      problem.put("type", Problems.TYPE_BASE + type.slug());
      problem.put("title", type.title());
      problem.put("status", type.status().value());
      problem.put("detail", detail);
      body = json.writeValueAsBytes(problem);
    }
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }

  Mono<Void> needsSession(ServerWebExchange exchange) {
    return write(
        exchange,
        ProblemType.UNAUTHORIZED,
        "This preview opens only from the IDE: open it from the project's Ports panel (or ask"
            + " its owner for a fresh share link).");
  }

  private static boolean wantsHtml(ServerWebExchange exchange) {
    return exchange.getRequest().getHeaders().getAccept().stream()
        .anyMatch(m -> m.isCompatibleWith(MediaType.TEXT_HTML) && !m.isWildcardType());
  }
}
