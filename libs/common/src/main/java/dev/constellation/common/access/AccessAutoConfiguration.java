package dev.constellation.common.access;

import dev.constellation.common.audit.AuditEvent;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.auth.JwtCodec;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.web.client.RestClient;

/**
 * For services that ask project-service about access (workspace, claude): the client, and the
 * subscription that drops its cache when a project's membership changes.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class AccessAutoConfiguration {

  @Bean
  @ConditionalOnBean(StringRedisTemplate.class)
  AuditPublisher auditPublisher(
      StringRedisTemplate redis,
      @Value("${spring.application.name}") String service,
      Clock clock,
      @Value(
              "${constellation.audit.stream-max-length:"
                  + AuditEvent.DEFAULT_STREAM_MAX_LENGTH
                  + "}")
          long maxLength) {
    return new AuditPublisher(redis, service, clock, maxLength);
  }

  @Bean
  @ConditionalOnProperty("constellation.services.project-url")
  ProjectAccessClient projectAccessClient(
      RestClient.Builder builder,
      @Value("${constellation.services.project-url}") String projectUrl,
      @Value("${constellation.access.cache-ttl:30s}") Duration ttl,
      @Value("${spring.application.name}") String service,
      JwtCodec jwt,
      Clock clock) {
    var factory = new org.springframework.http.client.SimpleClientHttpRequestFactory();
    factory.setConnectTimeout(Duration.ofSeconds(1));
    factory.setReadTimeout(Duration.ofSeconds(3));
    return new ProjectAccessClient(
        builder.clone().baseUrl(projectUrl).requestFactory(factory).build(),
        jwt,
        service,
        ttl,
        clock);
  }

  @Bean
  @ConditionalOnProperty("constellation.services.project-url")
  @ConditionalOnBean(RedisConnectionFactory.class)
  RedisMessageListenerContainer accessChangeListener(
      RedisConnectionFactory connections, ProjectAccessClient client) {
    var container = new RedisMessageListenerContainer();
    container.setConnectionFactory(connections);
    container.addMessageListener(
        (message, pattern) ->
            client.invalidate(
                new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8)),
        new ChannelTopic(AccessChannels.ACCESS_CHANGED));
    return container;
  }
}
