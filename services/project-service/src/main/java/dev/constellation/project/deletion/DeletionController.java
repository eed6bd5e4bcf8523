package dev.constellation.project.deletion;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class DeletionController {
  private final DeletionService deletions;

  DeletionController(DeletionService deletions) {
    this.deletions = deletions;
  }

  /**
   * 204 as soon as the project is gone for users; its workspace, conversations and files follow
   * within seconds.
   */
  @DeleteMapping("/api/projects/{id}")
  ResponseEntity<Void> delete(@CurrentUser AuthenticatedUser user, @PathVariable String id) {
    deletions.delete(user, id);
    return ResponseEntity.noContent().build();
  }
}
