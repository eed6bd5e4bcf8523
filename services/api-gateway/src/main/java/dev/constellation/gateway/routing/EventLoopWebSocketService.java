package dev.constellation.gateway.routing;

import org.springframework.context.Lifecycle;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Upgrades a browser's WebSocket on its connection's own event loop. The request's filters may
 * finish on another thread (a Redis reply's, another connection's loop), and an upgrade begun there
 * let Reactor Netty attach the socket's reader in a later task of the loop: a frame the browser
 * sent within ~2 ms of the 101 reached the HTTP request's finished reader and was dropped (a
 * language server's {@code initialize}, a terminal's first resize; seen with tcpdump).
 */
final class EventLoopWebSocketService implements WebSocketService, Lifecycle {
  private final WebSocketService delegate;

  EventLoopWebSocketService(WebSocketService delegate) {
    this.delegate = delegate;
  }

  @Override
  public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
    Mono<Void> upgrade = delegate.handleRequest(exchange, handler);
    var loop = ConnectionLoop.of(exchange);
    return loop == null || loop.inEventLoop()
        ? upgrade
        : upgrade.subscribeOn(Schedulers.fromExecutor(loop));
  }

  @Override
  public void start() {
    if (delegate instanceof Lifecycle lifecycle) lifecycle.start();
  }

  @Override
  public void stop() {
    if (delegate instanceof Lifecycle lifecycle) lifecycle.stop();
  }

  @Override
  public boolean isRunning() {
    return !(delegate instanceof Lifecycle lifecycle) || lifecycle.isRunning();
  }
}
