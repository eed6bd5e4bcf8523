package dev.constellation.claude.conversation;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.common.servlet.ServiceOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Calls only services make; the shared JWT filter admits only service tokens to /internal/**, and
 * {@code @ServiceOnly} makes the handler check that again.
 */
@RestController
@ServiceOnly
class InternalProjectController {
  private static final Logger log = LoggerFactory.getLogger(InternalProjectController.class);

  private final ConversationService conversations;

  InternalProjectController(ConversationService conversations) {
    this.conversations = conversations;
  }

  /** Project-service calls this when a project is deleted; deleting twice is fine. */
  @DeleteMapping("/internal/projects/{projectId}")
  ResponseEntity<Void> deleteProject(
      @PathVariable String projectId, @CurrentUser AuthenticatedUser caller) {
    long deleted = conversations.deleteProject(projectId);
    log.info("deleted {} conversations of project {} for {}", deleted, projectId, caller.id());
    return ResponseEntity.noContent().build();
  }
}
