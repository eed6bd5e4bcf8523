package dev.constellation.workspace.lifecycle;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.InvalidTokenException;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.config.ProjectDirectories;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Calls from other services (never routed by the gateway); the JWT filter covers only /api/**, so this verifies itself. */
@RestController
class InternalController {
  private final WorkspaceService workspaces;
  private final JwtCodec jwt;

  InternalController(WorkspaceService workspaces, JwtCodec jwt) {
    this.workspaces = workspaces;
    this.jwt = jwt;
  }

  /** project-service deletes a project: drop its workspace and state; it deletes the directory itself. */
  @DeleteMapping("/internal/projects/{projectId}")
  ResponseEntity<Void> delete(@PathVariable String projectId, @RequestHeader(name = "Authorization", required = false) String authorization) {
    AuthenticatedUser caller;
    try {
      String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : null;
      caller = jwt.verify(token);
    } catch (InvalidTokenException e) {
      throw ApiException.unauthorized("A service token is required.");
    }
    if (!caller.isService()) throw ApiException.forbidden("Only services may call internal endpoints.");
    ProjectDirectories.requireValidId(projectId);
    workspaces.delete(projectId);
    return ResponseEntity.noContent().build();
  }
}
