package dev.constellation.project.member;

import dev.constellation.common.access.ProjectRole;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.project.project.ProjectResponse;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/projects/{id}/members/{userId}")
class MemberController {
  private final MemberService members;

  MemberController(MemberService members) {
    this.members = members;
  }

  /** Adds the user or changes their role; answers the project with its new member list. */
  @PutMapping
  ProjectResponse set(
      @CurrentUser AuthenticatedUser user,
      @PathVariable String id,
      @PathVariable String userId,
      @Valid @RequestBody SetMemberRequest request) {
    return ProjectResponse.of(members.set(user, id, userId, ProjectRole.valueOf(request.role())));
  }

  @DeleteMapping
  ResponseEntity<Void> remove(
      @CurrentUser AuthenticatedUser user, @PathVariable String id, @PathVariable String userId) {
    members.remove(user, id, userId);
    return ResponseEntity.noContent().build();
  }
}
