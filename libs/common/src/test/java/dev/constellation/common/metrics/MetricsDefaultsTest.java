package dev.constellation.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class MetricsDefaultsTest {

  @Test
  void tagsEveryMeterWithTheApplicationNameAndAsksForLatencyBuckets() {
    var environment = environmentWith(Map.of("spring.application.name", "project-service"));
    new MetricsDefaults().postProcessEnvironment(environment, new SpringApplication());
    assertThat(environment.getProperty("management.metrics.tags.application"))
        .isEqualTo("project-service");
    assertThat(
            environment.getProperty(
                "management.metrics.distribution.percentiles-histogram.http.server.requests"))
        .isEqualTo("true");
    assertThat(
            environment.getProperty(
                "management.metrics.distribution.percentiles-histogram.http.server.requests.active"))
        .isEqualTo("false");
  }

  @Test
  void aServicesOwnSettingWins() {
    var environment =
        environmentWith(
            Map.of(
                "spring.application.name", "claude-service",
                "management.metrics.tags.application", "claude",
                "management.metrics.distribution.percentiles-histogram.http.server.requests",
                    "false"));
    new MetricsDefaults().postProcessEnvironment(environment, new SpringApplication());
    assertThat(environment.getProperty("management.metrics.tags.application")).isEqualTo("claude");
    assertThat(
            environment.getProperty(
                "management.metrics.distribution.percentiles-histogram.http.server.requests"))
        .isEqualTo("false");
  }

  private static StandardEnvironment environmentWith(Map<String, Object> properties) {
    var environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("application", properties));
    return environment;
  }
}
