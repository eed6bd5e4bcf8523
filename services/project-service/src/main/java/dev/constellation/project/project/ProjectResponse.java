package dev.constellation.project.project;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The contract's {@code project}. */
public record ProjectResponse(
    String id,
    String name,
    String description,
    @Nullable String templateId,
    String ownerId,
    List<Member> members,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant lastOpenedAt) {

  public static ProjectResponse of(Project p) {
    return new ProjectResponse(
        p.id(),
        p.name(),
        p.description(),
        p.templateId(),
        p.ownerId(),
        p.members(),
        p.createdAt(),
        p.updatedAt(),
        p.lastOpenedAt());
  }
}
