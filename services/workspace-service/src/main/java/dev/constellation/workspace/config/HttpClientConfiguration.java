package dev.constellation.workspace.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/**
 * ProjectAccessClient needs a RestClient.Builder; Boot 4 supplies one only with
 * spring-boot-restclient, which this service does not otherwise need.
 */
@Configuration(proxyBeanMethods = false)
class HttpClientConfiguration {
  @Bean
  @ConditionalOnMissingBean
  RestClient.Builder restClientBuilder() {
    return RestClient.builder();
  }
}
