package dev.constellation.workspace.terminal;

import dev.constellation.common.access.AccessChannels;
import dev.constellation.common.auth.TokenRevocations;
import dev.constellation.workspace.config.WorkspaceProperties;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class TerminalWebSocketConfiguration implements WebSocketConfigurer {
  private final TerminalHandler handler;
  private final TerminalHandshake handshake;

  TerminalWebSocketConfiguration(TerminalHandler handler, TerminalHandshake handshake) {
    this.handler = handler;
    this.handshake = handshake;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    // TerminalHandshake applies the origin rule itself (same host as the request, plus configured
    // origins); Spring's own check would refuse a request that came through the gateway.
    registry
        .addHandler(handler, "/api/projects/*/terminal")
        .addInterceptors(handshake)
        .setAllowedOriginPatterns("*");
  }

  /**
   * A larger message closes the socket (1009) before it is buffered whole. Tomcat allocates both
   * buffers for every socket when it opens: sized for a language server's 4 MiB documents (8 MiB of
   * chars each) fifty terminals exhausted the heap (OutOfMemoryError under TeamLoadIT). So both are
   * the terminal's size, and LanguageServerHandler takes its larger messages in pieces and joins
   * them up to its own limit.
   */
  @Bean
  ServletServerContainerFactoryBean webSocketContainer(WorkspaceProperties properties) {
    var container = new ServletServerContainerFactoryBean();
    container.setMaxTextMessageBufferSize(properties.terminal().maxMessageBytes());
    container.setMaxBinaryMessageBufferSize(properties.terminal().maxMessageBytes());
    container.setMaxSessionIdleTimeout(0L);
    return container;
  }

  @Bean
  RedisMessageListenerContainer terminalAccessListener(
      RedisConnectionFactory connections, TerminalRegistry registry) {
    var container = new RedisMessageListenerContainer();
    container.setConnectionFactory(connections);
    container.addMessageListener(registry, new ChannelTopic(AccessChannels.ACCESS_CHANGED));
    container.addMessageListener(
        (message, pattern) ->
            registry.closeUser(new String(message.getBody(), StandardCharsets.UTF_8).trim()),
        new ChannelTopic(TokenRevocations.USER_REVOKED_CHANNEL));
    return container;
  }
}
