package dev.constellation.gateway.web;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses bodies over the limit: at once when Content-Length says so, and while streaming when the
 * body is chunked, so a large upload is never buffered or forwarded whole.
 */
final class BodySizeWebFilter implements WebFilter, Ordered {
  static final int ORDER = FilterOrder.BODY_SIZE;

  private static final PathPattern FILE_CONTENT =
      PathPatternParser.defaultInstance.parse("/api/projects/{id}/files/content");
  private static final PathPattern IMPORT =
      PathPatternParser.defaultInstance.parse("/api/projects/import");

  private final WebProperties.BodyLimits limits;

  BodySizeWebFilter(WebProperties.BodyLimits limits) {
    this.limits = limits;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    long max = limitFor(request);
    long declared = request.getHeaders().getContentLength();
    if (declared > max) {
      return Mono.error(tooLarge(max));
    }
    if (declared >= 0 || !hasBody(request)) {
      return chain.filter(exchange);
    }
    ServerHttpRequest counted =
        new ServerHttpRequestDecorator(request) {
          @Override
          public Flux<DataBuffer> getBody() {
            AtomicLong seen = new AtomicLong();
            return super.getBody()
                .handle(
                    (buffer, sink) -> {
                      if (seen.addAndGet(buffer.readableByteCount()) > max) {
                        DataBufferUtils.release(buffer);
                        sink.error(tooLarge(max));
                      } else {
                        sink.next(buffer);
                      }
                    });
          }
        };
    return chain.filter(exchange.mutate().request(counted).build());
  }

  private long limitFor(ServerHttpRequest request) {
    var path = request.getPath().pathWithinApplication();
    if (HttpMethod.PUT.equals(request.getMethod()) && FILE_CONTENT.matches(path)) {
      return limits.fileContentMax().toBytes();
    }
    if (HttpMethod.POST.equals(request.getMethod()) && IMPORT.matches(path)) {
      return limits.importMax().toBytes();
    }
    return limits.defaultMax().toBytes();
  }

  private static boolean hasBody(ServerHttpRequest request) {
    return request.getHeaders().containsHeader("Transfer-Encoding");
  }

  private static ApiException tooLarge(long max) {
    return new ApiException(
        ProblemType.TOO_LARGE,
        "The request is larger than " + human(max) + ", the most this endpoint accepts.");
  }

  private static String human(long bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return bytes / (1024 * 1024) + " MB";
    if (bytes >= 1024 && bytes % 1024 == 0) return bytes / 1024 + " KB";
    return bytes + " bytes";
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
