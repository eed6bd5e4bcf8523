package dev.constellation.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.NameResolverProvider;

class ServiceAddressesConfigurationTest {

  @Test
  void forwardingClientAsksForReplicaAddressesEverySecondAndRotatesThem() {
    HttpClient client =
        new ServiceAddressesConfiguration().serviceAddresses().customize(HttpClient.create());

    NameResolverProvider resolver = client.configuration().getNameResolverProvider();
    assertThat(resolver).isNotNull();
    assertThat(resolver.cacheMaxTimeToLive())
        .isEqualTo(ServiceAddressesConfiguration.MAX_ADDRESS_AGE);
    assertThat(resolver.isRoundRobinSelection()).isTrue();
  }
}
