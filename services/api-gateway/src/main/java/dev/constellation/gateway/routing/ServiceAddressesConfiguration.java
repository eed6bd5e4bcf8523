package dev.constellation.gateway.routing;

import java.time.Duration;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the gateway finds the services' replicas. Where a service's name answers with the addresses
 * of its replicas (Docker Swarm's DNS round robin, a headless Kubernetes service), the DNS answer
 * says to keep it for 600 s; kept that long, a rolling update leaves the gateway calling replicas
 * that are gone. So names are asked again after at most a second — Swarm takes a stopping replica
 * out of DNS two seconds before it stops it — and each new connection takes the next address, so
 * every replica gets its share. Behind one virtual IP (Swarm's default) nothing changes.
 */
@Configuration(proxyBeanMethods = false)
class ServiceAddressesConfiguration {
  static final Duration MAX_ADDRESS_AGE = Duration.ofSeconds(1);

  @Bean
  HttpClientCustomizer serviceAddresses() {
    return client ->
        client.resolver(spec -> spec.cacheMaxTimeToLive(MAX_ADDRESS_AGE).roundRobinSelection(true));
  }
}
