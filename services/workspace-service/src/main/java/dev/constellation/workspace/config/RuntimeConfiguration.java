package dev.constellation.workspace.config;

import dev.constellation.workspace.runtime.WorkspaceRuntime;
import dev.constellation.workspace.runtime.docker.DockerWorkspaceRuntime;
import dev.constellation.workspace.runtime.docker.SwarmWorkspaceRuntime;
import dev.constellation.workspace.runtime.local.LocalWorkspaceRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Picks the runtime once at startup: WORKSPACE_RUNTIME=docker|local|auto|swarm. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RuntimeConfiguration {
  private static final Logger log = LoggerFactory.getLogger(RuntimeConfiguration.class);

  @Bean
  WorkspaceRuntime workspaceRuntime(
      WorkspaceProperties properties, OutboundProperties outbound, SwarmProperties swarm) {
    WorkspaceRuntime runtime =
        switch (properties.runtime()) {
          case DOCKER ->
              DockerWorkspaceRuntime.connect(properties, outbound)
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "WORKSPACE_RUNTIME=docker but no Docker engine answers (DOCKER_HOST or /var/run/docker.sock)"));
          case LOCAL -> new LocalWorkspaceRuntime(properties);
          case SWARM -> SwarmWorkspaceRuntime.connect(properties, outbound, swarm);
          case AUTO ->
              DockerWorkspaceRuntime.connect(properties, outbound)
                  .<WorkspaceRuntime>map(docker -> docker)
                  .orElseGet(() -> new LocalWorkspaceRuntime(properties));
        };
    log.info("workspace runtime: {} (asked for {})", runtime.name(), properties.runtime());
    return runtime;
  }

  @Bean
  ProjectFileOwner projectFileOwner(WorkspaceRuntime runtime, WorkspaceProperties properties) {
    return new ProjectFileOwner(
        runtime instanceof DockerWorkspaceRuntime || runtime instanceof SwarmWorkspaceRuntime
            ? properties.isolation().uid()
            : -1);
  }
}
