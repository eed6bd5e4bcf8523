package dev.constellation.gateway.preview;

import dev.constellation.common.auth.AuthProperties;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.gateway.routing.ServicesProperties;
import java.time.Clock;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class PreviewConfiguration {
  /** The share-link signer, typed apart from the cookie signer so the two cannot be swapped. */
  record ShareTokens(SignedValues values) {}

  @Bean
  ShareTokens previewShareTokens(AuthProperties auth, JsonMapper json) {
    return new ShareTokens(
        new SignedValues(auth.jwtSecret(), "constellation/preview-share/v1", json));
  }

  @Bean
  PreviewForwardedHeaders previewForwardedHeaders() {
    return new PreviewForwardedHeaders();
  }

  @Bean
  PreviewTickets previewTickets(
      ReactiveStringRedisTemplate redis, JsonMapper json, PreviewProperties properties) {
    return new PreviewTickets(redis, json, properties.ticketTtl());
  }

  @Bean
  PreviewServices previewServices(
      JwtCodec jwt, ServicesProperties services, PreviewProperties properties) {
    return new PreviewServices(
        jwt,
        services.projectUrl(),
        services.workspaceUrl(),
        properties.accessCacheTtl(),
        properties.targetCacheTtl());
  }

  @Bean
  PreviewWebFilter previewWebFilter(
      PreviewProperties properties,
      PreviewTickets tickets,
      PreviewServices services,
      FilteringWebHandler gateway,
      ShareTokens shareTokens,
      AuthProperties auth,
      ReactiveStringRedisTemplate redis,
      JsonMapper json,
      Clock clock) {
    return new PreviewWebFilter(
        properties,
        tickets,
        services,
        new PreviewProxy(gateway, PreviewWebFilter.COOKIE),
        new PreviewPages(json),
        new SignedValues(auth.jwtSecret(), "constellation/preview-cookie/v1", json),
        shareTokens.values(),
        redis,
        json,
        clock);
  }
}
