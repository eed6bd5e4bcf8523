package dev.constellation.claude.conversation;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.InvalidTokenException;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.common.problem.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Calls only services make. The shared filter guards /api/** alone, so the service token is
 * verified here; the gateway never routes /internal/**.
 */
@RestController
class InternalProjectController {
  private static final Logger log = LoggerFactory.getLogger(InternalProjectController.class);

  private final ConversationService conversations;
  private final JwtCodec codec;

  InternalProjectController(ConversationService conversations, JwtCodec codec) {
    this.conversations = conversations;
    this.codec = codec;
  }

  /** Project-service calls this when a project is deleted; deleting twice is fine. */
  @DeleteMapping("/internal/projects/{projectId}")
  ResponseEntity<Void> deleteProject(@PathVariable String projectId, HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    AuthenticatedUser caller;
    try {
      caller = codec.verify(header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null);
    } catch (InvalidTokenException e) {
      throw ApiException.unauthorized("A service token is required (" + e.getMessage() + ").");
    }
    if (!caller.isService()) {
      throw ApiException.forbidden("Only services may call /internal endpoints.");
    }
    long deleted = conversations.deleteProject(projectId);
    log.info("deleted {} conversations of project {} for {}", deleted, projectId, caller.id());
    return ResponseEntity.noContent().build();
  }
}
