package dev.constellation.workspace.lsp;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

@Configuration(proxyBeanMethods = false)
class LanguageServerWebSocketConfiguration implements WebSocketConfigurer {
  private final LanguageServerHandler handler;
  private final LanguageServerHandshake handshake;

  LanguageServerWebSocketConfiguration(
      LanguageServerHandler handler, LanguageServerHandshake handshake) {
    this.handler = handler;
    this.handshake = handshake;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    // The handshake applies the terminals' origin rule itself; Spring's own check would refuse a
    // request that came through the gateway.
    registry
        .addHandler(handler, "/api/projects/*/lsp/*")
        .addInterceptors(handshake)
        .setAllowedOriginPatterns("*");
  }
}
