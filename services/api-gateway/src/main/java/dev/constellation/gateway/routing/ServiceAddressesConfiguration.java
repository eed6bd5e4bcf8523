package dev.constellation.gateway.routing;

import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the gateway finds the services' replicas when their names answer with the replicas' own
 * addresses (Docker Swarm's DNS round robin, a headless Kubernetes service). The DNS answer says to
 * keep it for 600 s; kept that long, a rolling update leaves the gateway calling replicas that are
 * gone. So names are asked again after at most a second — Swarm takes a stopping replica out of DNS
 * two seconds before it stops it — and each new connection takes the next address, so every replica
 * gets its share. Behind one virtual IP (Swarm's default endpoint mode) nothing changes.
 *
 * <p>Only with {@code constellation.services.dns-round-robin=true}
 * (GATEWAY_SERVICE_DNS_ROUND_ROBIN, which docker-compose.swarm.yml sets): the same client carries
 * the terminals' WebSockets, and a CI journey with this always on once reattached a terminal blank;
 * whether this or the known reattach flake was to blame was never found, so make run, make up, the
 * tests and the journey keep the library's resolver.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    prefix = "constellation.services",
    name = "dns-round-robin",
    havingValue = "true")
class ServiceAddressesConfiguration {
  static final Duration MAX_ADDRESS_AGE = Duration.ofSeconds(1);

  @Bean
  HttpClientCustomizer serviceAddresses() {
    return client ->
        client.resolver(spec -> spec.cacheMaxTimeToLive(MAX_ADDRESS_AGE).roundRobinSelection(true));
  }
}
