package dev.constellation.gateway.preview;

import java.util.Map;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Gives a preview's app the preview origin it is served on ({@code X-Forwarded-Host}/{@code
 * -Proto}, for apps that build absolute URLs). Runs after Spring Cloud Gateway's removal of every
 * client-sent X-Forwarded header, so what the app sees is the gateway's statement only; requests of
 * the IDE's routes carry none of it.
 */
final class PreviewForwardedHeaders implements HttpHeadersFilter, Ordered {
  static final String ATTR = PreviewForwardedHeaders.class.getName() + ".headers";

  @Override
  public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
    Map<String, String> forwarded = exchange.getAttribute(ATTR);
    if (forwarded == null) return input;
    HttpHeaders out = new HttpHeaders();
    out.putAll(input);
    forwarded.forEach(out::set);
    return out;
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
