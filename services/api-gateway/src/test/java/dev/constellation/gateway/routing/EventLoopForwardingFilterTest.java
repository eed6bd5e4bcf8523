package dev.constellation.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalChannel;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.DefaultServerWebExchange;
import org.springframework.web.server.i18n.AcceptHeaderLocaleContextResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

class EventLoopForwardingFilterTest {
  private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
  private final EventLoopForwardingFilter filter = new EventLoopForwardingFilter();

  @AfterEach
  void stopLoops() {
    loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * What the gateway's filters leave: the request ends up on a Redis reply's thread. Forwarded from
   * there, a WebSocket upgrade dropped a frame the browser sent right after the 101.
   */
  @Test
  void forwardsOnTheConnectionsOwnEventLoop() throws Exception {
    Channel channel = new LocalChannel();
    loops.register(channel).sync();
    AtomicReference<Boolean> onLoop = new AtomicReference<>();
    GatewayFilterChain routing =
        exchange -> Mono.fromRunnable(() -> onLoop.set(channel.eventLoop().inEventLoop()));
    ServerWebExchange exchange = exchange(new OnConnection(Connection.from(channel)));

    routing.filter(exchange).block(Duration.ofSeconds(5));
    assertThat(onLoop.get()).as("the routing alone, called off the loop").isFalse();

    filter.filter(exchange, routing).block(Duration.ofSeconds(5));
    assertThat(onLoop.get()).as("through the filter").isTrue();
  }

  @Test
  void aRequestWithoutANettyConnectionIsForwardedWhereItIs() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    GatewayFilterChain routing =
        exchange -> Mono.fromRunnable(() -> ranOn.set(Thread.currentThread()));
    filter
        .filter(exchange(MockServerHttpRequest.get("/ws").build()), routing)
        .block(Duration.ofSeconds(5));
    assertThat(ranOn.get()).isSameAs(Thread.currentThread());
  }

  private static ServerWebExchange exchange(ServerHttpRequest request) {
    return new DefaultServerWebExchange(
        request,
        new MockServerHttpResponse(),
        new DefaultWebSessionManager(),
        ServerCodecConfigurer.create(),
        new AcceptHeaderLocaleContextResolver());
  }

  /** A request as Reactor Netty hands it over: its native request is the connection. */
  private static final class OnConnection extends AbstractServerHttpRequest {
    private final Connection connection;

    OnConnection(Connection connection) {
      super(HttpMethod.GET, URI.create("http://gateway/ws"), "", new HttpHeaders());
      this.connection = connection;
    }

    @Override
    protected MultiValueMap<String, HttpCookie> initCookies() {
      return new LinkedMultiValueMap<>();
    }

    @Override
    protected SslInfo initSslInfo() {
      return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getNativeRequest() {
      return (T) connection;
    }

    @Override
    public Flux<DataBuffer> getBody() {
      return Flux.empty();
    }
  }
}
