package dev.constellation.claude.config;

import dev.constellation.common.access.ProjectAccessClient;
import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.access.ProjectRole;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.JwtAuthenticationFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/** Asks project-service, the one authority, whether the caller may do something in a project. */
@Component
public class AccessGuard {
  private final ProjectAccessClient access;

  AccessGuard(ProjectAccessClient access) {
    this.access = access;
  }

  public ProjectRole require(AuthenticatedUser user, String projectId, ProjectAction action) {
    return access.require(user, projectId, action);
  }

  /**
   * The caller's own Authorization header, forwarded (never re-signed) so that workspace-service
   * applies the caller's rights when the AI reads or writes files.
   */
  public static String authorization(HttpServletRequest request) {
    return "Bearer " + bearerToken(request);
  }

  private static String bearerToken(HttpServletRequest request) {
    String token = JwtAuthenticationFilter.bearerToken(request);
    return token == null ? "" : token;
  }
}
