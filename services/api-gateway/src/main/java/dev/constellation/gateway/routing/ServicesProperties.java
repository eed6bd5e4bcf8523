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
 * @param capacity how many calls the gateway lets wait on each service at once
 * @param dnsRoundRobin ask the services' names again every second and spread new connections over
 *     every address they answer with (GATEWAY_SERVICE_DNS_ROUND_ROBIN; on in Docker Swarm only, see
 *     ServiceAddressesConfiguration)
 */
@ConfigurationProperties(prefix = "constellation.services")
public record ServicesProperties(
    String projectUrl,
    String workspaceUrl,
    String claudeUrl,
    Duration responseTimeout,
    Duration execResponseTimeout,
    Duration breakerOpenFor,
    Capacity capacity,
    boolean dnsRoundRobin) {
  public ServicesProperties {
    if (projectUrl == null) projectUrl = "http://127.0.0.1:8002";
    if (workspaceUrl == null) workspaceUrl = "http://127.0.0.1:8003";
    if (claudeUrl == null) claudeUrl = "http://127.0.0.1:8001";
    if (responseTimeout == null) responseTimeout = Duration.ofSeconds(30);
    if (execResponseTimeout == null) execResponseTimeout = Duration.ofMinutes(10);
    if (breakerOpenFor == null) breakerOpenFor = Duration.ofSeconds(5);
    if (capacity == null) capacity = new Capacity(null, null);
  }

  /**
   * The bulkhead per service (Resilience4j's own default is 25, far below what one gateway serves):
   * past it a call is refused at once with a 503 problem and Retry-After, never a 500. It sits well
   * above the load the services can take, so that under load they slow down (Tomcat's queue) long
   * before the gateway refuses anything. Long-lived calls (terminals, AI streams, exec) have their
   * own bulkhead so that open terminals never crowd out file saves.
   *
   * @param maxConcurrentCalls ordinary calls in flight per service (GATEWAY_MAX_CONCURRENT_CALLS)
   * @param maxConcurrentStreams terminals, AI streams and execs open per service
   *     (GATEWAY_MAX_CONCURRENT_STREAMS)
   */
  public record Capacity(Integer maxConcurrentCalls, Integer maxConcurrentStreams) {
    public Capacity {
      if (maxConcurrentCalls == null) maxConcurrentCalls = 512;
      if (maxConcurrentStreams == null) maxConcurrentStreams = 1024;
      if (maxConcurrentCalls < 1 || maxConcurrentStreams < 1) {
        throw new IllegalArgumentException("gateway capacity limits must be at least 1");
      }
    }
  }
}
