package dev.constellation.workspace.lifecycle;

import dev.constellation.common.access.AccessChannels;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
class ActivityConfiguration {
  @Bean
  RedisMessageListenerContainer workspaceActivityListener(
      RedisConnectionFactory connections, ActivityTracker tracker, WorkspaceEventStreams streams) {
    var container = new RedisMessageListenerContainer();
    container.setConnectionFactory(connections);
    container.addMessageListener(tracker, new ChannelTopic(AccessChannels.WORKSPACE_ACTIVITY));
    container.addMessageListener(streams, new ChannelTopic(WorkspaceEventStreams.CHANNEL));
    return container;
  }
}
