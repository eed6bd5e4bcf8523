package dev.constellation.gateway.routing;

import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.Connection;

/** The Netty event loop that owns a request's connection to the browser. */
final class ConnectionLoop {
  private ConnectionLoop() {}

  /** Null when the loop is not known (a server other than Reactor Netty's, a test's request). */
  static @Nullable EventLoop of(ServerWebExchange exchange) {
    try {
      Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
      return request instanceof Connection connection ? connection.channel().eventLoop() : null;
    } catch (IllegalArgumentException | IllegalStateException notAvailable) {
      return null;
    }
  }
}
