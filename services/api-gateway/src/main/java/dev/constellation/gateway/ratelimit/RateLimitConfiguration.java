package dev.constellation.gateway.ratelimit;

import dev.constellation.gateway.metrics.GatewayMetrics;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

  @Bean(destroyMethod = "close")
  RateLimiter rateLimiter(
      DataRedisProperties redis, RateLimitProperties properties, GatewayMetrics metrics) {
    String url =
        redis.getUrl() != null
            ? redis.getUrl()
            : "redis://" + redis.getHost() + ":" + redis.getPort();
    return new RateLimiter(url, properties.enabled(), metrics);
  }

  @Bean
  ClientRateLimitWebFilter clientRateLimitWebFilter(
      RateLimiter limiter, RateLimitProperties properties) {
    return new ClientRateLimitWebFilter(limiter, properties);
  }

  @Bean
  UserRateLimitWebFilter userRateLimitWebFilter(
      RateLimiter limiter, RateLimitProperties properties) {
    return new UserRateLimitWebFilter(limiter, properties);
  }
}
