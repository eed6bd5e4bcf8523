package dev.constellation.workspace.terminal;

import dev.constellation.common.terminal.TerminalTickets;
import dev.constellation.workspace.config.WorkspaceProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ticket contract of libs/common, with this service's configured lifetime (capped at 60 s
 * there).
 */
@Configuration(proxyBeanMethods = false)
class TerminalTicketsConfiguration {

  @Bean
  TerminalTickets terminalTickets(
      StringRedisTemplate redis, JsonMapper json, Clock clock, WorkspaceProperties properties) {
    return new TerminalTickets(redis, json, clock, properties.terminal().ticketTtl());
  }
}
