package dev.constellation.gateway.web;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.problem.Problems;
import dev.constellation.common.resilience.StorageOutages;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.net.ConnectException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
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
    ApiException api = toApiException(exchange, error);
    ProblemDetail problem = Problems.of(api);
    // Retry-After, WWW-Authenticate and the like travel with the exception
    // (ApiException#retryAfter).
    HttpHeaders headers = exchange.getResponse().getHeaders();
    api.headers().forEach((name, values) -> headers.put(name, values));
    return writer.write(exchange, problem);
  }

  private ApiException toApiException(ServerWebExchange exchange, Throwable error) {
    if (error instanceof ApiException api) {
      return api;
    }
    if (StorageOutages.isOutage(error)) {
      log.warn("storage unavailable: {}", error.toString());
      return StorageOutages.exception();
    }
    if (isGatewayBusy(error)) {
      log.warn("gateway at capacity for {}: {}", serviceName(exchange), error.toString());
      return new ApiException(
          ProblemType.GATEWAY_BUSY,
          "The "
              + serviceName(exchange)
              + " has too many requests in flight right now; try again in a few seconds.");
    }
    if (isDownstreamUnavailable(error)) {
      log.warn("downstream {} unavailable: {}", serviceName(exchange), error.toString());
      return ApiException.unavailable(
          "The "
              + serviceName(exchange)
              + " is not answering right now; try again in a few seconds.",
          Duration.ofSeconds(2));
    }
    if (error instanceof ServerWebInputException input) {
      return badInput(input);
    }
    if (hasCause(error, DataBufferLimitException.class)) {
      return tooLarge();
    }
    if (error instanceof MethodNotAllowedException) {
      return new ApiException(
          ProblemType.METHOD_NOT_ALLOWED,
          "This endpoint does not support " + exchange.getRequest().getMethod() + ".");
    }
    if (error instanceof ResponseStatusException status) {
      int code = status.getStatusCode().value();
      if (code == 404) {
        return ApiException.notFound(
            "There is nothing at " + exchange.getRequest().getPath().value() + ".");
      }
      if (code == 504) {
        log.warn("downstream {} timed out", serviceName(exchange));
        return new ApiException(
            ProblemType.UPSTREAM_TIMEOUT,
            "The " + serviceName(exchange) + " did not answer in time; try again.");
      }
      if (code >= 500) {
        log.error("request failed", error);
        return internal();
      }
      ProblemType type = ProblemType.forStatus(code);
      return new ApiException(
          type, status.getReason() == null ? type.title() + "." : status.getReason());
    }
    log.error("unexpected failure", error);
    return internal();
  }

  private static ApiException badInput(ServerWebInputException input) {
    if (hasCause(input, DataBufferLimitException.class)) {
      return tooLarge();
    }
    if (hasCause(input, DecodingException.class)
        || hasCause(input, tools.jackson.core.JacksonException.class)) {
      return new ApiException(
          ProblemType.MALFORMED_BODY, "The request body is not valid JSON for this endpoint.");
    }
    if (input.getMethodParameter() != null
        && input.getMethodParameter().getParameterName() != null
        && !input.getMessage().contains("body")) {
      String name = input.getMethodParameter().getParameterName();
      return ApiException.validation(
          name, "The parameter '" + name + "' is missing or has the wrong type.");
    }
    return ApiException.badRequest("The request body is missing or cannot be read.");
  }

  private static ApiException tooLarge() {
    return new ApiException(
        ProblemType.TOO_LARGE, "The request body is larger than this endpoint accepts.");
  }

  private static ApiException internal() {
    return new ApiException(
        ProblemType.INTERNAL,
        "Something went wrong on our side; the request id helps us find out what.");
  }

  /**
   * The gateway's own capacity limits (bulkhead, connection pool) refused the call: 503, never 500.
   */
  static boolean isGatewayBusy(Throwable error) {
    return hasCause(error, io.github.resilience4j.bulkhead.BulkheadFullException.class)
        || hasCause(
            error, reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException.class)
        || hasCause(
            error,
            reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException.class);
  }

  static boolean isDownstreamUnavailable(Throwable error) {
    if (error instanceof ResponseStatusException status && status.getStatusCode().value() == 503)
      return true;
    return hasCause(error, ConnectException.class)
        || hasCause(
            error, org.springframework.cloud.gateway.support.ServiceUnavailableException.class)
        || hasCause(error, CallNotPermittedException.class)
        || hasCause(error, io.netty.channel.ConnectTimeoutException.class)
        || hasCause(error, reactor.netty.http.client.PrematureCloseException.class)
        || hasCause(error, java.net.UnknownHostException.class)
        || isConnectionReset(error);
  }

  /** A service that dies mid-request resets the connection: that is an outage, not our bug. */
  private static boolean isConnectionReset(Throwable error) {
    for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof java.io.IOException
          && t.getMessage() != null
          && (t.getMessage().contains("Connection reset")
              || t.getMessage().contains("Broken pipe"))) {
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

  static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return true;
      if (t.getCause() == t) break;
    }
    return false;
  }
}
