package dev.constellation.gateway.routing;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Forwards a request from its browser connection's own event loop. The filters before often finish
 * on a Redis reply's thread; forwarded from there, the call to the service took a connection of any
 * loop, and its answer crossed threads on the way back to the browser. A WebSocket upgraded from
 * there was worse: Reactor Netty attached the socket's reader in a later task of the loop, and a
 * frame the browser sent within ~2 ms of the 101 (a language server's {@code initialize}, a
 * terminal's first resize; seen with tcpdump) reached the finished HTTP reader and was dropped.
 */
@Component
class EventLoopForwardingFilter implements GlobalFilter, Ordered {

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    var loop = ConnectionLoop.of(exchange);
    if (loop == null || loop.inEventLoop()) return chain.filter(exchange);
    return Mono.defer(() -> chain.filter(exchange)).subscribeOn(Schedulers.fromExecutor(loop));
  }

  /** Right before the routing filters (WebSocket's at -1, HTTP's last). */
  @Override
  public int getOrder() {
    return NettyRoutingFilter.ORDER - 2;
  }
}
