package dev.constellation.gateway.web;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.Problems;
import dev.constellation.common.resilience.StorageOutages;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.net.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The one place where any failure — from a filter, a controller or the proxy — becomes an RFC 9457
 * problem. Details never carry stack traces or internal host names.
 */
@Order(-2)
final class GatewayExceptionHandler implements WebExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(GatewayExceptionHandler.class);

  private final ProblemWriter writer;

  GatewayExceptionHandler(ProblemWriter writer) {
    this.writer = writer;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
    if (exchange.getResponse().isCommitted()) {
      // Mid-stream (SSE, downloads): nothing can be said to the client any more.
      log.info("request failed after the response started: {}", error.toString());
      return Mono.error(error);
    }
    ProblemDetail problem = toProblem(exchange, error);
    HttpHeaders headers = exchange.getResponse().getHeaders();
    if (error instanceof TooManyRequestsException limited) {
      headers.set(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
    }
    if (problem.getStatus() == 401) {
      headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    if (problem.getStatus() == 503) {
      headers.set(HttpHeaders.RETRY_AFTER, "2");
    }
    return writer.write(exchange, problem);
  }

  private ProblemDetail toProblem(ServerWebExchange exchange, Throwable error) {
    if (error instanceof ApiException api) {
      return Problems.of(api);
    }
    if (StorageOutages.isOutage(error)) {
      log.warn("storage unavailable: {}", error.toString());
      return StorageOutages.problem();
    }
    if (isGatewayBusy(error)) {
      log.warn("gateway at capacity for {}: {}", serviceName(exchange), error.toString());
      return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service busy",
          "The " + serviceName(exchange) + " has too many requests in flight right now; try again in a few seconds.");
    }
    if (isDownstreamUnavailable(error)) {
      log.warn("downstream {} unavailable: {}", serviceName(exchange), error.toString());
      return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable",
          "The " + serviceName(exchange) + " is not answering right now; try again in a few seconds.");
    }
    if (error instanceof ServerWebInputException input) {
      return badInput(input);
    }
    if (hasCause(error, DataBufferLimitException.class)) {
      return Problems.of(HttpStatusCode.valueOf(413), "payload-too-large", "Request body too large",
          "The request body is larger than this endpoint accepts.");
    }
    if (error instanceof MethodNotAllowedException) {
      return Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
          "This endpoint does not support " + exchange.getRequest().getMethod() + ".");
    }
    if (error instanceof ResponseStatusException status) {
      int code = status.getStatusCode().value();
      if (code == 404) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
            "There is nothing at " + exchange.getRequest().getPath().value() + ".");
      }
      if (code == 504) {
        log.warn("downstream {} timed out", serviceName(exchange));
        return Problems.of(HttpStatus.GATEWAY_TIMEOUT, "upstream-timeout", "Service timed out",
            "The " + serviceName(exchange) + " did not answer in time; try again.");
      }
      if (code >= 500) {
        log.error("request failed", error);
        return internal();
      }
      HttpStatus known = HttpStatus.resolve(code);
      String title = known == null ? "Error" : known.getReasonPhrase();
      return Problems.of(status.getStatusCode(), slug(title), title,
          status.getReason() == null ? title + "." : status.getReason());
    }
    log.error("unexpected failure", error);
    return internal();
  }

  private static ProblemDetail badInput(ServerWebInputException input) {
    if (hasCause(input, DataBufferLimitException.class)) {
      return Problems.of(HttpStatusCode.valueOf(413), "payload-too-large", "Request body too large",
          "The request body is larger than this endpoint accepts.");
    }
    if (hasCause(input, DecodingException.class) || hasCause(input, tools.jackson.core.JacksonException.class)) {
      return Problems.of(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON",
          "The request body is not valid JSON for this endpoint.");
    }
    if (input.getMethodParameter() != null && input.getMethodParameter().getParameterName() != null
        && !input.getMessage().contains("body")) {
      String name = input.getMethodParameter().getParameterName();
      return Problems.of(HttpStatus.BAD_REQUEST, "validation", "Invalid field '" + name + "'",
          "The parameter '" + name + "' is missing or has the wrong type.");
    }
    return Problems.of(HttpStatus.BAD_REQUEST, "bad-request", "Bad request",
        "The request body is missing or cannot be read.");
  }

  private static ProblemDetail internal() {
    return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
        "Something went wrong on our side; the request id helps us find out what.");
  }

  /** The gateway's own capacity limits (bulkhead, connection pool) refused the call: 503, never 500. */
  static boolean isGatewayBusy(Throwable error) {
    return hasCause(error, io.github.resilience4j.bulkhead.BulkheadFullException.class)
        || hasCause(error, reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException.class)
        || hasCause(error, reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException.class);
  }

  static boolean isDownstreamUnavailable(Throwable error) {
    if (error instanceof ResponseStatusException status && status.getStatusCode().value() == 503) return true;
    return hasCause(error, ConnectException.class)
        || hasCause(error, org.springframework.cloud.gateway.support.ServiceUnavailableException.class)
        || hasCause(error, CallNotPermittedException.class)
        || hasCause(error, io.netty.channel.ConnectTimeoutException.class)
        || hasCause(error, reactor.netty.http.client.PrematureCloseException.class)
        || hasCause(error, java.net.UnknownHostException.class)
        || isConnectionReset(error);
  }

  /** A service that dies mid-request resets the connection: that is an outage, not our bug. */
  private static boolean isConnectionReset(Throwable error) {
    for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof java.io.IOException && t.getMessage() != null
          && (t.getMessage().contains("Connection reset") || t.getMessage().contains("Broken pipe"))) {
        return true;
      }
    }
    return false;
  }

  private static String serviceName(ServerWebExchange exchange) {
    Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
    if (route == null) return "service";
    String id = route.getId();
    int dash = id.indexOf("-service");
    return dash < 0 ? id : id.substring(0, dash + "-service".length()).replace('-', ' ');
  }

  private static String slug(String title) {
    return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return true;
      if (t.getCause() == t) break;
    }
    return false;
  }
}
