package dev.constellation.claude.chat;

import dev.constellation.common.auth.TokenRevocations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/** Subscribes {@link OpenStreams} to the gateway's revocations. */
@Configuration(proxyBeanMethods = false)
class UserRevokedListener {

  @Bean
  RedisMessageListenerContainer userRevokedSubscription(
      RedisConnectionFactory connections, OpenStreams streams) {
    var container = new RedisMessageListenerContainer();
    container.setConnectionFactory(connections);
    container.addMessageListener(streams, new ChannelTopic(TokenRevocations.USER_REVOKED_CHANNEL));
    return container;
  }
}
