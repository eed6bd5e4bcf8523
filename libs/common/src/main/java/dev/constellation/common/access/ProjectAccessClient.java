package dev.constellation.common.access;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Asks project-service, the one authority, what role a caller has in a project. Answers are cached
 * briefly; the cache of a project is dropped when project-service announces a membership change on
 * {@link AccessChannels#ACCESS_CHANGED}.
 *
 * <p>Entries are versioned: an invalidation bumps the project's version, and an answer is served
 * from the cache only while its version is current. A fetch that started before an invalidation
 * (and may carry the old role) is therefore never served from the cache afterwards, even though it
 * completes, and stores its answer, after the invalidation.
 */
public class ProjectAccessClient {

  /** What project-service answers on {@code GET /internal/projects/{id}/access?userId=}. */
  public record Access(String projectId, String userId, ProjectRole role) {}

  private record Cached(ProjectRole role, Instant expires, long version) {}

  private final RestClient http;
  private final JwtCodec jwt;
  private final String serviceName;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Map<String, Cached>> cacheByProject = new ConcurrentHashMap<>();

  /** Invalidations seen per project; absent = 0. */
  private final Map<String, Long> versions = new ConcurrentHashMap<>();

  public ProjectAccessClient(
      RestClient http, JwtCodec jwt, String serviceName, Duration ttl, Clock clock) {
    this.http = http;
    this.jwt = jwt;
    this.serviceName = serviceName;
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * Returns the caller's role when it allows {@code action}. A project the caller cannot see is
   * 404; one it can see but not act on is 403.
   */
  public ProjectRole require(AuthenticatedUser user, String projectId, ProjectAction action) {
    ProjectRole role = roleOf(user.id(), projectId);
    if (role == null) {
      throw ApiException.notFound("No project " + projectId + " visible to you.");
    }
    if (!role.allows(action)) {
      throw ApiException.forbidden(
          "Your role "
              + role
              + " in this project does not allow this; it needs "
              + action.minimumRole()
              + ".");
    }
    return role;
  }

  /**
   * A user's role, or null when the user is not a member (or the project does not exist). The
   * caller has verified the user's token; project-service is asked with this service's own token.
   */
  public ProjectRole roleOf(String userId, String projectId) {
    // Read before the fetch: an invalidation during the fetch makes this answer's version stale.
    long version = versions.getOrDefault(projectId, 0L);
    Map<String, Cached> byUser =
        cacheByProject.computeIfAbsent(projectId, id -> new ConcurrentHashMap<>());
    Cached cached = byUser.get(userId);
    Instant now = clock.instant();
    if (cached != null && cached.version() == version && cached.expires().isAfter(now)) {
      return cached.role();
    }
    ProjectRole role = fetch(userId, projectId);
    byUser.put(userId, new Cached(role, now.plus(ttl), version));
    return role;
  }

  private ProjectRole fetch(String userId, String projectId) {
    try {
      Access access =
          http.get()
              .uri(
                  b ->
                      b.path("/internal/projects/{id}/access")
                          .queryParam("userId", userId)
                          .build(projectId))
              .header("Authorization", "Bearer " + jwt.signServiceToken(serviceName))
              .retrieve()
              .body(Access.class);
      return access == null ? null : access.role();
    } catch (HttpClientErrorException.NotFound e) {
      return null;
    } catch (HttpClientErrorException e) {
      // 401/403 to our own service token: a configuration fault, never the user's.
      throw new ApiException(
              ProblemType.SERVICE_UNAVAILABLE,
              "The project service refused this service's credentials; access cannot be checked.")
          .retryAfter(Duration.ofSeconds(2));
    } catch (ResourceAccessException | org.springframework.web.client.HttpServerErrorException e) {
      throw new ApiException(
              ProblemType.SERVICE_UNAVAILABLE,
              "The project service cannot be reached to check your access; try again shortly.")
          .retryAfter(Duration.ofSeconds(2));
    }
  }

  /**
   * Forgets every cached answer for the project: called when project-service announces a change.
   */
  public void invalidate(String projectId) {
    versions.merge(projectId, 1L, Long::sum);
    cacheByProject.remove(projectId);
  }
}
