package dev.constellation.project.project;

import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** Absent fields stay as they are. */
record UpdateProjectRequest(
    @Size(min = 1, max = ProjectService.MAX_NAME) @Nullable String name,
    @Size(max = ProjectService.MAX_DESCRIPTION) @Nullable String description) {

  UpdateProjectRequest {
    name = name == null ? null : name.strip();
  }
}
