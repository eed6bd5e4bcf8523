package dev.constellation.gateway.routing;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.socket.server.WebSocketService;

/**
 * The WebSocket proxy upgrades on the connection's event loop ({@link EventLoopWebSocketService}).
 */
@Configuration(proxyBeanMethods = false)
class WebSocketProxyConfiguration {

  @Bean
  static BeanPostProcessor upgradeOnEventLoop() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof WebSocketService service
            && !(bean instanceof EventLoopWebSocketService))
          return new EventLoopWebSocketService(service);
        return bean;
      }
    };
  }
}
