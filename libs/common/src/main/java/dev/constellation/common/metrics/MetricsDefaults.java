package dev.constellation.common.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Metric settings every service shares, added with the lowest precedence so that a service's
 * application.yml or the environment can still override any of them.
 *
 * <p>No {@code instance} tag is added: Prometheus labels every series with the {@code instance} of
 * the target it scraped (one per replica), and an exposed label of that name would only be renamed
 * {@code exported_instance}.
 */
public class MetricsDefaults implements EnvironmentPostProcessor {
  static final String SOURCE_NAME = "constellationMetricsDefaults";

  static final Map<String, Object> DEFAULTS = defaults();

  private static Map<String, Object> defaults() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("management.metrics.tags.application", "${spring.application.name:constellation}");
    // Buckets rather than client-side percentiles: p99 must aggregate across replicas and routes.
    String histogram = "management.metrics.distribution.percentiles-histogram.";
    d.put(histogram + "http.server.requests", "true");
    d.put(histogram + "mongodb.driver.commands", "true");
    d.put(histogram + "lettuce", "true");
    d.put(histogram + "workspace", "true");
    d.put(histogram + "constellation.ai", "true");
    // The in-flight (long task) timers share those prefixes; their buckets would only add series.
    d.put(histogram + "http.server.requests.active", "false");
    d.put(histogram + "lettuce.active", "false");
    // Tomcat only publishes its thread pool (busy/current/max threads) through its MBeans.
    d.put("server.tomcat.mbeanregistry.enabled", "true");
    return Map.copyOf(d);
  }

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getPropertySources().contains(SOURCE_NAME)) {
      environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, DEFAULTS));
    }
  }
}
