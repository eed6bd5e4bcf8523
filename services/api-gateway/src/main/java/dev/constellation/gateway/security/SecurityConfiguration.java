package dev.constellation.gateway.security;

import dev.constellation.common.auth.AuthProperties;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.common.terminal.ReactiveTerminalTickets;
import dev.constellation.gateway.metrics.ActiveUsers;
import dev.constellation.gateway.metrics.GatewayMetrics;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** libs/common wires these for MVC services only; the gateway is WebFlux. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
class SecurityConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  JwtCodec jwtCodec(AuthProperties properties, Clock clock) {
    return new JwtCodec(properties.jwtSecret(), properties.issuer(), properties.audience(), clock);
  }

  @Bean
  JwtWebFilter jwtWebFilter(
      JwtCodec codec,
      ReactiveStringRedisTemplate redis,
      GatewayMetrics metrics,
      ActiveUsers activeUsers) {
    return new JwtWebFilter(codec, redis, metrics, activeUsers);
  }

  @Bean
  TerminalHandshakeWebFilter terminalHandshakeWebFilter(
      ReactiveStringRedisTemplate redis,
      tools.jackson.databind.json.JsonMapper json,
      Clock clock,
      dev.constellation.gateway.web.WebProperties web) {
    return new TerminalHandshakeWebFilter(
        new ReactiveTerminalTickets(redis, json, clock), web.corsAllowedOrigins());
  }
}
