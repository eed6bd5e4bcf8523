package dev.constellation.project.member;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.access.ProjectRole;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.project.access.AccessChanges;
import dev.constellation.project.project.Member;
import dev.constellation.project.project.Project;
import dev.constellation.project.project.ProjectService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

@Service
class MemberService {
  private static final int MAX_USER_ID = 200;

  private final ProjectService projects;
  private final AccessChanges accessChanges;
  private final AuditPublisher audit;

  MemberService(ProjectService projects, AccessChanges accessChanges, AuditPublisher audit) {
    this.projects = projects;
    this.accessChanges = accessChanges;
    this.audit = audit;
  }

  Project set(AuthenticatedUser user, String projectId, String userId, ProjectRole role) {
    checkUserId(userId);
    Project changed =
        projects.change(
            user,
            projectId,
            ProjectAction.OWN,
            p -> {
              ProjectRole current = p.roleOf(userId);
              if (current == role) return p;
              if (current == ProjectRole.OWNER && p.ownerCount() == 1) {
                throw lastOwner();
              }
              List<Member> members = new ArrayList<>();
              boolean replaced = false;
              for (Member m : p.members()) {
                if (m.userId().equals(userId)) {
                  members.add(new Member(userId, role));
                  replaced = true;
                } else {
                  members.add(m);
                }
              }
              if (!replaced) members.add(new Member(userId, role));
              return p.withMembers(members, ownerAfter(p.ownerId(), members), projects.now());
            });
    accessChanges.announce(projectId);
    audit.publish(
        "member.set", user.id(), projectId, Map.of("userId", userId, "role", role.name()));
    return changed;
  }

  Project remove(AuthenticatedUser user, String projectId, String userId) {
    checkUserId(userId);
    Project changed =
        projects.change(
            user,
            projectId,
            ProjectAction.OWN,
            p -> {
              ProjectRole current = p.roleOf(userId);
              if (current == null)
                throw ApiException.notFound("User " + userId + " is not a member of this project.");
              if (current == ProjectRole.OWNER && p.ownerCount() == 1) throw lastOwner();
              List<Member> members =
                  p.members().stream().filter(m -> !m.userId().equals(userId)).toList();
              return p.withMembers(members, ownerAfter(p.ownerId(), members), projects.now());
            });
    accessChanges.announce(projectId);
    audit.publish("member.remove", user.id(), projectId, Map.of("userId", userId));
    return changed;
  }

  // ownerId names an owner: it stays the creator while they own the project, else the first owner
  // left.
  private static String ownerAfter(String ownerId, List<Member> members) {
    boolean stillOwner =
        members.stream().anyMatch(m -> m.userId().equals(ownerId) && m.role() == ProjectRole.OWNER);
    if (stillOwner) return ownerId;
    return members.stream()
        .filter(m -> m.role() == ProjectRole.OWNER)
        .map(Member::userId)
        .findFirst()
        .orElse(ownerId);
  }

  private static ApiException lastOwner() {
    return new ApiException(
        org.springframework.http.HttpStatus.CONFLICT,
        "last-owner",
        "Last owner",
        "A project must keep at least one OWNER; make someone else OWNER first.");
  }

  private static void checkUserId(String userId) {
    if (userId == null || userId.isBlank() || userId.length() > MAX_USER_ID) {
      throw ApiException.validation(
          "userId", "userId must be 1 to " + MAX_USER_ID + " characters.");
    }
  }
}
