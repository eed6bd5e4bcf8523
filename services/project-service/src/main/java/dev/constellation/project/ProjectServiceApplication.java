package dev.constellation.project;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ProjectServiceApplication {
  public static void main(String[] args) {
    SpringApplication.run(ProjectServiceApplication.class, args);
  }
}
