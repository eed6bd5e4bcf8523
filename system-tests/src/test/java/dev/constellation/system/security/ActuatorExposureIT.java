package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.LocalStack;
import dev.constellation.localstack.TestInfrastructure;
import dev.constellation.system.SystemStack;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spring Cloud Gateway CVE-2022-22947 went through an exposed actuator: here only health and
 * metrics exist.
 */
class ActuatorExposureIT {
  private static final List<String> DANGEROUS =
      List.of(
          "/actuator/env",
          "/actuator/heapdump",
          "/actuator/gateway/routes",
          "/actuator/gateway/refresh",
          "/actuator/beans",
          "/actuator/configprops",
          "/actuator/threaddump",
          "/actuator/mappings",
          "/actuator/loggers",
          "/actuator/shutdown",
          "/actuator/env/JWT_SECRET");

  @Test
  @Checklist({"B12"})
  void dangerousActuatorsAre404ThroughTheGateway() throws Exception {
    EdgeHttp outside = EdgeHttp.freshClient();
    for (String path : DANGEROUS) {
      var response = outside.get(path, null);
      assertThat(response.status()).as("GET " + path + " via the gateway").isEqualTo(404);
      assertThat(response.body())
          .doesNotContain(
              TestInfrastructure.JWT_SECRET, "activeProfiles", "propertySources", "routeId");
      assertThat(outside.send("POST", path, null, null, java.util.Map.of()).status())
          .as("POST " + path + " via the gateway")
          .isIn(404, 405);
    }
  }

  @Test
  @Checklist({"B12"})
  void everyServicePortExposesOnlyHealthAndPrometheus() throws Exception {
    for (LocalStack.ServiceSpec spec : LocalStack.SERVICES) {
      EdgeHttp direct = EdgeHttp.at(SystemStack.serviceUrl(spec.name()));
      for (String path : DANGEROUS) {
        var response = direct.get(path, null);
        assertThat(response.status()).as(spec.name() + " GET " + path).isIn(401, 404);
        assertThat(response.body())
            .doesNotContain(TestInfrastructure.JWT_SECRET, "propertySources", "routeId");
      }
      assertThat(direct.get("/actuator/health", null).status())
          .as(spec.name() + " health")
          .isEqualTo(200);
      // As Prometheus asks (a JSON-only Accept gets 406, which libs/common still turns into a 500).
      assertThat(
              direct
                  .send(
                      "GET",
                      "/actuator/prometheus",
                      null,
                      null,
                      java.util.Map.of("Accept", "text/plain"))
                  .status())
          .as(spec.name() + " prometheus")
          .isEqualTo(200);
    }
  }
}
