package dev.constellation.project.project;

import dev.constellation.common.access.ProjectRole;
import java.time.Instant;
import java.util.List;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A project's metadata. {@code version} grows by one on every change so that concurrent membership
 * edits cannot both pass the last-owner rule.
 */
@Document("projects")
public record Project(
    @MongoId(FieldType.STRING) String id,
    String name,
    String description,
    String templateId,
    String ownerId,
    List<Member> members,
    Instant createdAt,
    Instant updatedAt,
    Instant lastOpenedAt,
    long version) {

  /** The user's role, or null for a non-member. */
  public ProjectRole roleOf(String userId) {
    return members.stream()
        .filter(m -> m.userId().equals(userId))
        .map(Member::role)
        .findFirst()
        .orElse(null);
  }

  public long ownerCount() {
    return members.stream().filter(m -> m.role() == ProjectRole.OWNER).count();
  }

  public Project withMembers(List<Member> newMembers, String newOwnerId, Instant now) {
    return new Project(
        id,
        name,
        description,
        templateId,
        newOwnerId,
        List.copyOf(newMembers),
        createdAt,
        now,
        lastOpenedAt,
        version);
  }

  public Project withDetails(String newName, String newDescription, Instant now) {
    return new Project(
        id,
        newName,
        newDescription,
        templateId,
        ownerId,
        members,
        createdAt,
        now,
        lastOpenedAt,
        version);
  }
}
