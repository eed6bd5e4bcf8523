package dev.constellation.common.resilience;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** Fail fast while Redis or the database is away (see {@link StorageOutages}). */
@AutoConfiguration
public class ResilienceAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({
    LettuceClientOptionsBuilderCustomizer.class,
    io.lettuce.core.ClientOptions.class
  })
  static class RedisClients {
    @Bean
    LettuceClientOptionsBuilderCustomizer failFastRedisOptions() {
      return RedisFailFast::apply;
    }

    @Bean
    ClientResourcesBuilderCustomizer boundedRedisReconnectDelay() {
      return builder -> builder.reconnectDelay(RedisFailFast.reconnectDelay());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  static class Servlet {
    /**
     * Between the request-id filter (first) and the token filter (+10), so that its checks are
     * covered.
     */
    @Bean
    FilterRegistrationBean<StorageOutageFilter> storageOutageFilter(JsonMapper json) {
      var registration = new FilterRegistrationBean<>(new StorageOutageFilter(json));
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
      return registration;
    }
  }
}
