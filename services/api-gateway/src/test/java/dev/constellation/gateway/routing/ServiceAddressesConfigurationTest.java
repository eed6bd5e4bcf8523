package dev.constellation.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.core.io.ClassPathResource;
import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.NameResolverProvider;

class ServiceAddressesConfigurationTest {

  /** The gateway's own application.yml, so that its default for the switch is what is tested. */
  private final ApplicationContextRunner gateway =
      new ApplicationContextRunner()
          .withInitializer(
              app -> {
                try {
                  new YamlPropertySourceLoader()
                      .load("application.yml", new ClassPathResource("application.yml"))
                      .forEach(app.getEnvironment().getPropertySources()::addLast);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .withUserConfiguration(ServiceAddressesConfiguration.class);

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

  @Test
  void forwardingClientKeepsTheLibraryResolverUnlessAsked() {
    gateway.run(app -> assertThat(app).doesNotHaveBean(HttpClientCustomizer.class));
    gateway
        .withPropertyValues("GATEWAY_SERVICE_DNS_ROUND_ROBIN=false")
        .run(app -> assertThat(app).doesNotHaveBean(HttpClientCustomizer.class));
  }

  @Test
  void forwardingClientRotatesReplicaAddressesWhenSwarmAsksForIt() {
    gateway
        .withPropertyValues("GATEWAY_SERVICE_DNS_ROUND_ROBIN=true")
        .run(app -> assertThat(app).hasSingleBean(HttpClientCustomizer.class));
  }
}
