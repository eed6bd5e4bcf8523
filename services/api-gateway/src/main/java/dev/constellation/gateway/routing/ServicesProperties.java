package dev.constellation.gateway.routing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the services are and how long the gateway waits for them.
 *
 * @param projectUrl project-service base URL (PROJECT_SERVICE_URL)
 * @param workspaceUrl workspace-service base URL (WORKSPACE_SERVICE_URL)
 * @param claudeUrl claude-service base URL (CLAUDE_SERVICE_URL)
 * @param responseTimeout longest wait for response headers on ordinary routes
 * @param execResponseTimeout longest wait on POST /exec, which runs a command to completion
 * @param breakerOpenFor how long a tripped circuit breaker refuses calls before it tries again
 */
@ConfigurationProperties(prefix = "constellation.services")
public record ServicesProperties(
    String projectUrl,
    String workspaceUrl,
    String claudeUrl,
    Duration responseTimeout,
    Duration execResponseTimeout,
    Duration breakerOpenFor) {
  public ServicesProperties {
    if (projectUrl == null) projectUrl = "http://127.0.0.1:8002";
    if (workspaceUrl == null) workspaceUrl = "http://127.0.0.1:8003";
    if (claudeUrl == null) claudeUrl = "http://127.0.0.1:8001";
    if (responseTimeout == null) responseTimeout = Duration.ofSeconds(30);
    if (execResponseTimeout == null) execResponseTimeout = Duration.ofMinutes(10);
    if (breakerOpenFor == null) breakerOpenFor = Duration.ofSeconds(5);
  }
}
