package bench.floor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** One route, nothing else: what Spring Cloud Gateway on WebFlux costs by itself. */
@SpringBootApplication
public class FloorGateway {
  public static void main(String[] args) {
    SpringApplication.run(FloorGateway.class, args);
  }
}
